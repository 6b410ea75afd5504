//! Configuration errors: each one has a file, a line, a column, the key, the bad value and
//! what is expected, and a load reports all of them at once.

use std::fmt;
use std::ops::Range;

use super::source::{SourceId, Sources};

/// One mistake in a configuration, at the place where the bad value was written.
///
/// Displays as `file:line:column: message`, the form editors and terminals link to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Path of the file, or `<env NAME>`, `<api>` or `<command line>` for values set there.
    pub file: String,
    /// Line, counted from 1.
    pub line: usize,
    /// Column, counted from 1, in characters.
    pub column: usize,
    /// Byte range of the bad text in its source.
    pub span: Range<usize>,
    /// Dotted path of the key, such as `collector.interval`; empty for errors of the file as a
    /// whole.
    pub key: String,
    /// Description of the mistake, with the bad value and the expected form.
    pub message: String,
}

/// Every error of one load, sorted by file and position.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigErrors {
    errors: Vec<ConfigError>,
}

/// Collects errors while a configuration is read, resolving positions through its sources.
#[derive(Debug)]
pub(crate) struct ErrorSink<'a> {
    pub(crate) sources: &'a Sources,
    errors: Vec<ConfigError>,
}

impl ConfigErrors {
    /// Returns the errors, sorted by file, line and column.
    pub fn errors(&self) -> &[ConfigError] {
        &self.errors
    }

    /// Returns the number of errors.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Returns `true` when there is no error.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub(crate) fn from_vec(mut errors: Vec<ConfigError>) -> Self {
        errors.sort_by(|a, b| {
            (a.file.as_str(), a.line, a.column, a.message.as_str()).cmp(&(
                b.file.as_str(),
                b.line,
                b.column,
                b.message.as_str(),
            ))
        });
        errors.dedup();
        ConfigErrors { errors }
    }
}

impl IntoIterator for ConfigErrors {
    type Item = ConfigError;
    type IntoIter = std::vec::IntoIter<ConfigError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl<'a> ErrorSink<'a> {
    pub(crate) fn new(sources: &'a Sources) -> Self {
        ErrorSink { sources, errors: Vec::new() }
    }

    /// Records an error at `span` of `source`.
    pub(crate) fn push(&mut self, source: SourceId, span: Range<usize>, key: &str, message: String) {
        let source = self.sources.get(source);
        let position = source.line_column(span.start);
        self.errors.push(ConfigError {
            file: source.name.to_string(),
            line: position.line,
            column: position.column,
            span,
            key: key.to_owned(),
            message,
        });
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub(crate) fn into_errors(self) -> Vec<ConfigError> {
        self.errors
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.errors.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}
