//! The texts a configuration is built from, and the mapping of byte offsets to line:column.
//!
//! Besides the file itself, an environment variable, an API call or the command line can set a
//! value. Each becomes a [`Source`] of its own, so that an error in any of them has a name, a
//! line and a column: an environment override `PERF_HTTP__LISTEN=x` is the one-line source
//! `<env PERF_HTTP__LISTEN>` with the text `PERF_HTTP__LISTEN=x`.

use std::ops::Range;
use std::sync::Arc;

/// One text that configuration values were read from.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    /// Name shown in errors: a path, or `<env NAME>`, `<api>`, `<command line>`.
    pub(crate) name: Arc<str>,
    pub(crate) text: Arc<str>,
    line_starts: Vec<usize>,
}

/// Index of a [`Source`] in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SourceId(usize);

/// Every source of one load, so that an origin can be resolved to a line and column.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    sources: Vec<Source>,
}

/// A line and column, both counted from 1. The column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LineColumn {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl Source {
    pub(crate) fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(index, _)| index + 1));
        Source { name: name.into(), text, line_starts }
    }

    /// Converts a byte offset into a line and column. An offset past the end, or inside a
    /// multi-byte character, is moved back to the nearest character boundary.
    pub(crate) fn line_column(&self, offset: usize) -> LineColumn {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }

        let line_index = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line_index];
        let column = self.text[line_start..offset].chars().count() + 1;
        LineColumn { line: line_index + 1, column }
    }

    /// Returns the source text in `span`, or an empty string when the span does not fit.
    pub(crate) fn slice(&self, span: &Range<usize>) -> &str {
        self.text.get(span.clone()).unwrap_or("")
    }
}

impl Sources {
    pub(crate) fn add(&mut self, source: Source) -> SourceId {
        self.sources.push(source);
        SourceId(self.sources.len() - 1)
    }

    pub(crate) fn get(&self, id: SourceId) -> &Source {
        &self.sources[id.0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_first_character() {
        let source = Source::new("a.toml", "abc\ndef\n");
        assert_eq!(source.line_column(0), LineColumn { line: 1, column: 1 });
    }

    #[test]
    fn line_column_after_newline() {
        let source = Source::new("a.toml", "abc\ndef\n");
        assert_eq!(source.line_column(5), LineColumn { line: 2, column: 2 });
    }

    #[test]
    fn line_column_counts_characters() {
        let source = Source::new("a.toml", "é = 1\n");
        assert_eq!(source.line_column(3), LineColumn { line: 1, column: 3 });
    }

    #[test]
    fn line_column_past_end_is_clamped() {
        let source = Source::new("a.toml", "ab");
        assert_eq!(source.line_column(99), LineColumn { line: 1, column: 3 });
    }

    #[test]
    fn line_column_inside_character_moves_back() {
        let source = Source::new("a.toml", "é");
        assert_eq!(source.line_column(1), LineColumn { line: 1, column: 1 });
    }
}
