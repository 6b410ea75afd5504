//! The untyped value tree that layers are merged on, where every key and value remembers the
//! source, the byte range and the layer it came from.
//!
//! Typed decoding reads the merged tree, so an error points at the layer that wrote the bad
//! value (the file, a profile, an environment variable, an API call), and printing the
//! effective configuration can name the source of each value.

use std::ops::Range;
use std::sync::Arc;

use toml::de::{DeTable, DeValue};
use toml::value::Datetime;
use toml::Spanned;

use super::error::ErrorSink;
use super::source::SourceId;

/// Layer of the configuration that set a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Layer {
    /// The top level of the file.
    Base,
    /// A `[profiles.NAME]` table of the file.
    Profile(Arc<str>),
    /// A `PERF_<SECTION>__<KEY>` environment variable.
    Env,
    /// A runtime change through the API.
    Api,
}

/// Source, byte range and layer of a key or value.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    pub(crate) source: SourceId,
    pub(crate) span: Range<usize>,
    pub(crate) layer: Layer,
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) value: Value,
    pub(crate) origin: Origin,
}

#[derive(Debug, Clone)]
pub(crate) enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Boolean(bool),
    Datetime(Datetime),
    Array(Vec<Node>),
    Table(Table),
    /// A value whose error was already reported while the tree was built.
    Invalid,
}

/// A table, its keys in the order they were written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    pub(crate) entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) key_origin: Origin,
    pub(crate) node: Node,
}

impl Node {
    /// Converts a parsed TOML value, reporting integers and floats that do not fit.
    pub(crate) fn from_toml(
        value: &Spanned<DeValue<'_>>,
        source: SourceId,
        layer: &Layer,
        sink: &mut ErrorSink<'_>,
    ) -> Node {
        let origin = Origin { source, span: value.span(), layer: layer.clone() };
        if value.span().is_empty() {
            // The parser recovered from a syntax error here, which is already reported.
            return Node { value: Value::Invalid, origin };
        }
        let converted = match value.get_ref() {
            DeValue::String(text) => Value::String(text.to_string()),
            DeValue::Integer(integer) => match i64::from_str_radix(integer.as_str(), integer.radix()) {
                Ok(number) => Value::Integer(number),
                Err(_) => {
                    let message =
                        format!("integer {integer} is out of range; use a value between {} and {}", i64::MIN, i64::MAX);
                    sink.push(source, value.span(), "", message);
                    Value::Invalid
                }
            },
            DeValue::Float(float) => match float.as_str().parse::<f64>() {
                Ok(number) => Value::Float(number),
                Err(_) => {
                    sink.push(source, value.span(), "", format!("float {float} is not a valid number"));
                    Value::Invalid
                }
            },
            DeValue::Boolean(flag) => Value::Boolean(*flag),
            DeValue::Datetime(datetime) => Value::Datetime(*datetime),
            DeValue::Array(array) => {
                Value::Array(array.iter().map(|element| Node::from_toml(element, source, layer, sink)).collect())
            }
            DeValue::Table(table) => Value::Table(Table::from_toml(table, source, layer, sink)),
        };
        Node { value: converted, origin }
    }

    pub(crate) fn as_table(&self) -> Option<&Table> {
        match &self.value {
            Value::Table(table) => Some(table),
            _ => None,
        }
    }

    /// Returns the name of the value's type, as used in messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self.value {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a float",
            Value::Boolean(_) => "a boolean",
            Value::Datetime(_) => "a date-time",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
            Value::Invalid => "an invalid value",
        }
    }

    /// Returns the value as written, shortened for messages.
    pub(crate) fn display(&self) -> String {
        let text = match &self.value {
            Value::String(text) => format!("{text:?}"),
            Value::Integer(number) => number.to_string(),
            Value::Float(number) => number.to_string(),
            Value::Boolean(flag) => flag.to_string(),
            Value::Datetime(datetime) => datetime.to_string(),
            Value::Array(_) => "[...]".to_owned(),
            Value::Table(_) => "{...}".to_owned(),
            Value::Invalid => "?".to_owned(),
        };
        if text.chars().count() > 60 {
            format!("{}...", text.chars().take(57).collect::<String>())
        } else {
            text
        }
    }
}

impl Table {
    pub(crate) fn from_toml(table: &DeTable<'_>, source: SourceId, layer: &Layer, sink: &mut ErrorSink<'_>) -> Table {
        let entries = table
            .iter()
            .map(|(key, value)| Entry {
                key: key.get_ref().to_string(),
                key_origin: Origin { source, span: key.span(), layer: layer.clone() },
                node: Node::from_toml(value, source, layer, sink),
            })
            .collect();
        Table { entries }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.key == key)
    }

    /// Removes and returns the entry named `key`.
    pub(crate) fn remove(&mut self, key: &str) -> Option<Entry> {
        let index = self.entries.iter().position(|entry| entry.key == key)?;
        Some(self.entries.remove(index))
    }

    /// Lays `overlay` over this table: tables merge key by key, anything else is replaced.
    pub(crate) fn merge(&mut self, overlay: Table) {
        for entry in overlay.entries {
            self.merge_entry(entry);
        }
    }

    fn merge_entry(&mut self, entry: Entry) {
        let Some(existing) = self.entries.iter_mut().find(|existing| existing.key == entry.key) else {
            self.entries.push(entry);
            return;
        };
        match (&mut existing.node.value, entry.node.value) {
            (Value::Table(base), Value::Table(overlay)) => base.merge(overlay),
            (_, value) => {
                existing.key_origin = entry.key_origin;
                existing.node = Node { value, origin: entry.node.origin };
            }
        }
    }

    /// Sets the value at a dotted path, creating the tables on the way (and replacing a value
    /// that is in the way).
    pub(crate) fn set_path(&mut self, path: &[(String, Origin)], node: Node) {
        let Some(((key, key_origin), rest)) = path.split_first() else {
            return;
        };
        if rest.is_empty() {
            self.merge_entry(Entry { key: key.clone(), key_origin: key_origin.clone(), node });
            return;
        }

        let index = match self.entries.iter().position(|entry| entry.key == *key) {
            Some(index) => index,
            None => {
                let table = Node { value: Value::Table(Table::default()), origin: key_origin.clone() };
                self.entries.push(Entry { key: key.clone(), key_origin: key_origin.clone(), node: table });
                self.entries.len() - 1
            }
        };
        let entry = &mut self.entries[index];
        if !matches!(entry.node.value, Value::Table(_)) {
            entry.node = Node { value: Value::Table(Table::default()), origin: key_origin.clone() };
        }
        if let Value::Table(table) = &mut entry.node.value {
            table.set_path(rest, node);
        }
    }
}
