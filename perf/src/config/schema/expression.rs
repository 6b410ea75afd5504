//! A rule expression kept with the text it was parsed from.

use serde::{Serialize, Serializer};

use crate::rule::Expr;

/// A parsed rule expression and its text. Serializes as the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    /// The expression as written.
    pub text: String,
    /// The parsed and type-checked tree.
    pub expr: Expr,
}

impl Serialize for Expression {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}
