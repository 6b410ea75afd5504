//! Errors of rule expressions, each at a byte range of the expression.

use std::fmt;

use super::ast::Span;

/// A rule expression that does not parse or does not type-check, at the offending text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// Byte range of the offending text within the expression.
    pub span: Span,
    /// Description of the problem and of the expected form.
    pub message: String,
}

/// Every error found in one expression: at most one syntax error (parsing stops there), or
/// every type error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<RuleError>);

impl RuleError {
    pub(crate) fn new(span: Span, message: impl Into<String>) -> Self {
        RuleError { span, message: message.into() }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at byte {}: {}", self.span.start, self.message)
    }
}

impl std::error::Error for RuleError {}

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

impl From<RuleError> for RuleErrors {
    fn from(error: RuleError) -> Self {
        RuleErrors(vec![error])
    }
}
