//! Walks the merged tree into typed sections, collecting every error instead of stopping at
//! the first, and remembering the references between sections for a later check.
//!
//! Each section reads its table through [`Fields`], which marks every key the section takes as
//! known. [`Fields::finish`] then reports the keys that the section did not take as unknown,
//! with a suggestion among the known ones.

use std::collections::BTreeMap;

use super::error::ErrorSink;
use super::suggest;
use super::tree::{Node, Origin, Table, Value};

/// The state of one decoding pass.
#[derive(Debug)]
pub(crate) struct Decoder<'a> {
    pub(crate) sink: ErrorSink<'a>,
    pub(crate) references: Vec<Reference>,
}

/// A name that must be defined in another section, checked once every section is read.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub(crate) kind: ReferenceKind,
    pub(crate) name: String,
    pub(crate) key: String,
    pub(crate) origin: Origin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReferenceKind {
    Receiver,
    EscalationPolicy,
    Threshold,
}

/// The keys of one table as a section reads them.
#[derive(Debug)]
pub(crate) struct Fields<'n> {
    table: &'n Table,
    origin: &'n Origin,
    path: String,
    known: Vec<&'static str>,
    used: Vec<bool>,
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(sink: ErrorSink<'a>) -> Self {
        Decoder { sink, references: Vec::new() }
    }

    /// Records an error at `origin`.
    pub(crate) fn error(&mut self, origin: &Origin, key: &str, message: String) {
        self.sink.push(origin.source, origin.span.clone(), key, message);
    }

    /// Records an error for a value of the wrong type. Values that already failed while the
    /// tree was built are not reported twice.
    pub(crate) fn wrong_type(&mut self, node: &Node, key: &str, expected: &str) {
        if matches!(node.value, Value::Invalid) {
            return;
        }
        let message = format!("{key}: expected {expected}, found {} {}", node.type_name(), node.display());
        self.error(&node.origin, key, message);
    }

    /// Opens a table for reading its keys.
    pub(crate) fn fields<'n>(&mut self, node: &'n Node, key: &str) -> Option<Fields<'n>> {
        match &node.value {
            Value::Table(table) => Some(Fields {
                table,
                origin: &node.origin,
                path: key.to_owned(),
                known: Vec::new(),
                used: vec![false; table.entries.len()],
            }),
            _ => {
                self.wrong_type(node, key, "a table");
                None
            }
        }
    }

    /// Reads a table whose keys are names chosen by the user, such as `[receivers.NAME]`.
    pub(crate) fn named<T>(
        &mut self,
        node: &Node,
        key: &str,
        mut read: impl FnMut(&mut Decoder<'a>, &str, &Node, &str) -> Option<T>,
    ) -> BTreeMap<String, T> {
        let mut items = BTreeMap::new();
        let Value::Table(table) = &node.value else {
            self.wrong_type(node, key, "a table of named entries");
            return items;
        };
        for entry in &table.entries {
            let entry_key = join_key(key, &entry.key);
            if let Some(item) = read(self, &entry.key, &entry.node, &entry_key) {
                items.insert(entry.key.clone(), item);
            }
        }
        items
    }

    /// Reads an array whose every element is read by `read`.
    pub(crate) fn array<T>(
        &mut self,
        node: &Node,
        key: &str,
        mut read: impl FnMut(&mut Decoder<'a>, &Node, &str) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Value::Array(elements) = &node.value else {
            self.wrong_type(node, key, "an array");
            return None;
        };
        let mut items = Vec::with_capacity(elements.len());
        let mut ok = true;
        for (index, element) in elements.iter().enumerate() {
            match read(self, element, &format!("{key}[{index}]")) {
                Some(item) => items.push(item),
                None => ok = false,
            }
        }
        ok.then_some(items)
    }

    /// Remembers that `name` must be defined as a `kind`.
    pub(crate) fn reference(&mut self, kind: ReferenceKind, name: &str, node: &Node, key: &str) {
        self.references.push(Reference {
            kind,
            name: name.to_owned(),
            key: key.to_owned(),
            origin: node.origin.clone(),
        });
    }
}

impl<'n> Fields<'n> {
    /// Takes the value of `key`, marking the key as known.
    pub(crate) fn take(&mut self, key: &'static str) -> Option<&'n Node> {
        self.known.push(key);
        let index = self.table.entries.iter().position(|entry| entry.key == key)?;
        self.used[index] = true;
        Some(&self.table.entries[index].node)
    }

    /// Returns the dotted path of `key` in this table.
    pub(crate) fn path_of(&self, key: &str) -> String {
        join_key(&self.path, key)
    }

    /// Returns the dotted path of this table.
    pub(crate) fn path(&self) -> &str {
        &self.path
    }

    /// Returns where this table was written.
    pub(crate) fn origin(&self) -> &'n Origin {
        self.origin
    }

    /// Reads an optional key with `read`.
    pub(crate) fn get<'a, T>(
        &mut self,
        cx: &mut Decoder<'a>,
        key: &'static str,
        read: impl FnOnce(&mut Decoder<'a>, &Node, &str) -> Option<T>,
    ) -> Option<T> {
        let node = self.take(key)?;
        read(cx, node, &self.path_of(key))
    }

    /// Reads a key that must be present; `example` shows a valid line.
    pub(crate) fn require<'a, T>(
        &mut self,
        cx: &mut Decoder<'a>,
        key: &'static str,
        example: &str,
        read: impl FnOnce(&mut Decoder<'a>, &Node, &str) -> Option<T>,
    ) -> Option<T> {
        match self.take(key) {
            Some(node) => read(cx, node, &self.path_of(key)),
            None => {
                let message = format!("{}: missing key `{key}`; add it, like {example}", self.path);
                cx.error(self.origin, &self.path_of(key), message);
                None
            }
        }
    }

    /// Reports every key that no `take` asked for, with a suggestion among the known keys.
    pub(crate) fn finish(self, cx: &mut Decoder<'_>) {
        for (entry, used) in self.table.entries.iter().zip(&self.used) {
            if *used {
                continue;
            }
            let hint = suggest::did_you_mean(&entry.key, self.known.iter().copied());
            let mut known = self.known.clone();
            known.sort_unstable();
            known.dedup();
            let where_ =
                if self.path.is_empty() { "at the top level".to_owned() } else { format!("in [{}]", self.path) };
            let message = format!("unknown key `{}` {where_}{hint} (known keys: {})", entry.key, known.join(", "));
            cx.error(&entry.key_origin, &self.path_of(&entry.key), message);
        }
    }
}

/// Joins a table path and a key, quoting the key unless it is a bare TOML key.
pub(crate) fn join_key(path: &str, key: &str) -> String {
    let bare = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let key = if bare { key.to_owned() } else { format!("{key:?}") };
    if path.is_empty() {
        key
    } else {
        format!("{path}.{key}")
    }
}
