//! Label fingerprints and label matchers, as in Prometheus and Alertmanager.

use std::fmt;

use crate::rule::MatchOp;
use crate::threshold::Labels;

use super::AlertError;

/// Returns the fingerprint of a label set, computed as Prometheus does (64-bit FNV-1a over
/// the names and values sorted by name, each followed by the byte 255), so that it equals the
/// `fingerprint` Alertmanager reports for the same labels.
pub fn fingerprint(labels: &Labels) -> u64 {
    const OFFSET: u64 = 14_695_981_039_346_656_037;
    const PRIME: u64 = 1_099_511_628_211;
    const SEPARATOR: u8 = 255;

    let mut hash = OFFSET;
    let mut add = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    for (name, value) in labels {
        add(name.as_bytes());
        add(&[SEPARATOR]);
        add(value.as_bytes());
        add(&[SEPARATOR]);
    }
    hash
}

/// Formats a fingerprint as Prometheus does: 16 lowercase hexadecimal digits.
pub fn fingerprint_hex(fingerprint: u64) -> String {
    format!("{fingerprint:016x}")
}

/// A matcher on one label of an alert: `severity="critical"`, `team=~"shop|cart"`.
#[derive(Debug, Clone)]
pub struct Matcher {
    name: String,
    op: MatchOp,
    value: String,
    regex: Option<regex_lite::Regex>,
}

impl Matcher {
    /// Creates a matcher; a regular expression is anchored at both ends, as in Alertmanager.
    pub fn new(name: impl Into<String>, op: MatchOp, value: impl Into<String>) -> Result<Matcher, AlertError> {
        let (name, value) = (name.into(), value.into());
        let regex = match op {
            MatchOp::Regex | MatchOp::NotRegex => {
                Some(regex_lite::Regex::new(&format!("^(?:{value})$")).map_err(|error| {
                    AlertError::Invalid(format!(
                        "matcher {name}{}{value:?}: invalid regular expression: {error}",
                        op.symbol()
                    ))
                })?)
            }
            MatchOp::Equal | MatchOp::NotEqual => None,
        };
        Ok(Matcher { name, op, value, regex })
    }

    /// Creates a matcher that requires `name` to equal `value`.
    pub fn equal(name: impl Into<String>, value: impl Into<String>) -> Matcher {
        Matcher { name: name.into(), op: MatchOp::Equal, value: value.into(), regex: None }
    }

    /// Parses a matcher written as in a rule expression: `team=~"shop|cart"`.
    ///
    /// ```
    /// let matcher = perf::alert::Matcher::parse(r#"severity="critical""#).unwrap();
    /// assert_eq!(matcher.to_string(), r#"severity="critical""#);
    /// ```
    pub fn parse(text: &str) -> Result<Matcher, AlertError> {
        let parsed = crate::rule::parse_matcher(text)
            .map_err(|error| AlertError::Invalid(format!("matcher {text:?}: {}", error.message)))?;
        Matcher::new(parsed.label, parsed.op, parsed.value)
    }

    /// Returns `true` when the matcher holds; a missing label counts as the empty string.
    pub fn matches(&self, labels: &Labels) -> bool {
        let actual = labels.get(&self.name).map_or("", String::as_str);
        match self.op {
            MatchOp::Equal => actual == self.value,
            MatchOp::NotEqual => actual != self.value,
            MatchOp::Regex => self.regex.as_ref().is_some_and(|regex| regex.is_match(actual)),
            MatchOp::NotRegex => self.regex.as_ref().is_some_and(|regex| !regex.is_match(actual)),
        }
    }

    /// Returns the label name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Returns the operator.
    pub fn op(&self) -> MatchOp {
        self.op
    }

    /// Returns the value or regular expression.
    pub fn value(&self) -> &str {
        &self.value
    }
}

/// Returns `true` when every matcher holds.
pub(crate) fn matches_all(matchers: &[Matcher], labels: &Labels) -> bool {
    matchers.iter().all(|matcher| matcher.matches(labels))
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}{:?}", self.name, self.op.symbol(), self.value)
    }
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Matcher) -> bool {
        (&self.name, self.op, &self.value) == (&other.name, other.op, &other.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(name, value)| ((*name).to_owned(), (*value).to_owned())).collect()
    }

    #[test]
    fn fingerprint_empty_is_fnv_offset() {
        // FNV-1a of no byte is the offset basis, 0xcbf29ce484222325.
        assert_eq!(fingerprint_hex(fingerprint(&Labels::new())), "cbf29ce484222325");
    }

    #[test]
    fn fingerprint_single_byte_label() {
        // Bytes 'a', 255, 'b', 255 folded into FNV-1a 64 one by one (xor, then multiply by
        // 0x100000001b3), computed separately with Python's integers.
        assert_eq!(fingerprint(&labels(&[("a", "b")])), 0xd2b3_7181_9297_f98a);
    }

    #[test]
    fn matcher_regex_is_anchored() {
        let matcher = Matcher::new("team", MatchOp::Regex, "shop").unwrap();
        assert!(!matcher.matches(&labels(&[("team", "shopping")])));
    }

    #[test]
    fn matcher_not_equal_missing_label() {
        let matcher = Matcher::new("team", MatchOp::NotEqual, "shop").unwrap();
        assert!(matcher.matches(&Labels::new()));
    }

    #[test]
    fn matcher_invalid_regex_names_value() {
        let error = Matcher::new("team", MatchOp::Regex, "(").unwrap_err();
        assert!(error.to_string().contains("team=~\"(\""), "{error}");
    }
}
