//! Errors of the alert manager's set-up and API.

use crate::rule::RuleErrors;

/// An alert manager that cannot be built, or an API call that cannot be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AlertError {
    /// A rule's expression does not parse or type-check.
    #[error("alert rule {rule:?}: invalid {field} expression:\n{}", render(expr, errors))]
    Expression {
        /// Name of the rule.
        rule: String,
        /// The expression at fault: `expr`, `recovery` or `fallback`.
        field: &'static str,
        /// The expression text.
        expr: String,
        /// The problems, at byte ranges of `expr`.
        errors: RuleErrors,
    },
    /// A value of the set-up is invalid; the message names it and the fix.
    #[error("{0}")]
    Invalid(String),
    /// No alert has this fingerprint.
    #[error("no alert has fingerprint {0}; list them with AlertManager::alerts()")]
    UnknownAlert(String),
    /// No silence has this id.
    #[error("no silence has id {0}; list them with AlertManager::silences()")]
    UnknownSilence(String),
}

/// Shows each error under the expression with a caret line at its position.
fn render(expr: &str, errors: &RuleErrors) -> String {
    let mut text = String::new();
    for error in &errors.0 {
        let start = expr[..error.span.start.min(expr.len())].chars().count();
        let width = expr.get(error.span.start..error.span.end).map_or(1, |part| part.chars().count().max(1));
        text.push_str(&format!(
            "  {expr}\n  {}{} {} (at column {})\n",
            " ".repeat(start),
            "^".repeat(width),
            error.message,
            start + 1
        ));
    }
    text
}
