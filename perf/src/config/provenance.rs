//! Where each effective value came from, and the effective configuration printed with it.
//!
//! The settings are serialized back to TOML values and walked key by key; each key is looked
//! up in the merged tree, whose nodes remember their source and layer. A key missing from the
//! tree holds its default.

use super::decode::join_key;
use super::schema::Settings;
use super::source::Sources;
use super::tree::{Layer, Node, Value};

#[derive(Debug, Clone)]
pub(crate) struct Provenance {
    sources: Sources,
    root: Node,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Provenance {
    pub(crate) fn new(sources: Sources, root: Node) -> Self {
        Provenance { sources, root }
    }

    /// Returns the source of the value at a dotted path, or `default`.
    pub(crate) fn source_of(&self, path: &str) -> String {
        let Some(segments) = parse_path(path) else {
            return "default".to_owned();
        };
        self.label(&segments)
    }

    /// Builds an error at the value of a dotted path; a path with no value in the tree (a
    /// default) falls back to its closest written parent, then to the start of the first source.
    pub(crate) fn error_at(&self, path: &str, message: String) -> super::error::ConfigError {
        let mut segments = parse_path(path).unwrap_or_default();
        let node = loop {
            if let Some(node) = find(&self.root, &segments) {
                break node;
            }
            segments.pop();
        };
        let source = self.sources.get(node.origin.source);
        let position = source.line_column(node.origin.span.start);
        super::error::ConfigError {
            file: source.name.to_string(),
            line: position.line,
            column: position.column,
            span: node.origin.span.clone(),
            key: path.to_owned(),
            message,
        }
    }

    /// Returns one `key = value  # source` line per effective value.
    pub(crate) fn describe(&self, settings: &Settings) -> String {
        let value = match toml::Value::try_from(settings) {
            Ok(value) => value,
            Err(error) => return format!("# the settings could not be printed: {error}\n"),
        };

        let mut lines = Vec::new();
        self.flatten(&value, &mut Vec::new(), &mut lines);
        let width = lines.iter().map(|(assignment, _)| assignment.chars().count()).max().unwrap_or(0).min(72);
        let mut output = String::new();
        for (assignment, source) in lines {
            output.push_str(&format!("{assignment:<width$}  # {source}\n"));
        }
        output
    }

    fn flatten(&self, value: &toml::Value, path: &mut Vec<Segment>, lines: &mut Vec<(String, String)>) {
        match value {
            toml::Value::Table(table) => {
                for (key, child) in table {
                    path.push(Segment::Key(key.clone()));
                    self.flatten(child, path, lines);
                    path.pop();
                }
            }
            toml::Value::Array(elements) if !elements.is_empty() && elements.iter().all(toml::Value::is_table) => {
                for (index, element) in elements.iter().enumerate() {
                    path.push(Segment::Index(index));
                    self.flatten(element, path, lines);
                    path.pop();
                }
            }
            leaf => lines.push((format!("{} = {leaf}", render_path(path)), self.label(path))),
        }
    }

    fn label(&self, path: &[Segment]) -> String {
        let Some(node) = find(&self.root, path) else {
            return "default".to_owned();
        };
        let source = self.sources.get(node.origin.source);
        match &node.origin.layer {
            Layer::Env => source.name.trim_start_matches('<').trim_end_matches('>').to_owned(),
            Layer::Api => "api".to_owned(),
            layer => {
                let position = source.line_column(node.origin.span.start);
                let place = format!("{}:{}:{}", source.name, position.line, position.column);
                match layer {
                    Layer::Profile(name) => format!("{place} (profile {name})"),
                    _ => place,
                }
            }
        }
    }
}

fn find<'n>(node: &'n Node, path: &[Segment]) -> Option<&'n Node> {
    let Some((first, rest)) = path.split_first() else {
        return Some(node);
    };
    let child = match (first, &node.value) {
        (Segment::Key(key), Value::Table(table)) => &table.get(key)?.node,
        (Segment::Index(index), Value::Array(elements)) => elements.get(*index)?,
        _ => return None,
    };
    find(child, rest)
}

fn render_path(path: &[Segment]) -> String {
    let mut text = String::new();
    for segment in path {
        match segment {
            Segment::Key(key) => text = join_key(&text, key),
            Segment::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}

/// Parses `a.b."c::d"[0].e` into segments; `None` when the quotes do not close.
fn parse_path(path: &str) -> Option<Vec<Segment>> {
    let mut segments = Vec::new();
    let mut chars = path.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            '.' => {
                chars.next();
            }
            '"' => {
                chars.next();
                let mut key = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => key.push(chars.next()?),
                        other => key.push(other),
                    }
                }
                segments.push(Segment::Key(key));
            }
            '[' => {
                chars.next();
                let digits: String = chars.by_ref().take_while(|c| *c != ']').collect();
                segments.push(Segment::Index(digits.trim().parse().ok()?));
            }
            _ => {
                let mut key = String::new();
                while let Some(&c) = chars.peek() {
                    if matches!(c, '.' | '[') {
                        break;
                    }
                    key.push(c);
                    chars.next();
                }
                segments.push(Segment::Key(key));
            }
        }
    }
    Some(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_path_quoted_and_index() {
        let segments = parse_path(r#"sites.match."shop::*"[2].enabled"#).unwrap();
        let expected = vec![
            Segment::Key("sites".into()),
            Segment::Key("match".into()),
            Segment::Key("shop::*".into()),
            Segment::Index(2),
            Segment::Key("enabled".into()),
        ];
        assert_eq!(segments, expected);
    }

    #[test]
    fn parse_path_unclosed_quote() {
        assert_eq!(parse_path(r#"sites."abc"#), None);
    }

    #[test]
    fn render_path_quotes_non_bare_keys() {
        let path = [Segment::Key("sites".into()), Segment::Key("shop::*".into()), Segment::Index(0)];
        assert_eq!(render_path(&path), r#"sites."shop::*"[0]"#);
    }
}
