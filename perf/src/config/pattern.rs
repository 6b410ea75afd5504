//! Name patterns that select sites, components and caches: `shop::checkout`, `shop::*`,
//! `*::debug_*`, `cache_?`.
//!
//! `*` matches any run of characters, `::` included, and `?` matches one character. Every
//! other character matches itself. When several patterns match one name, the most specific
//! wins: a pattern with no wildcard first, then the one with the most literal characters.

use std::fmt;

use serde::{Serialize, Serializer};

/// A name pattern with `*` and `?` wildcards.
///
/// ```
/// use perf::config::NamePattern;
///
/// let pattern = NamePattern::new("shop::*").unwrap();
/// assert!(pattern.matches("shop::cart::add"));
/// assert!(!pattern.matches("search::query"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NamePattern {
    text: String,
}

/// Rank of a pattern: an exact name outranks any wildcard, then more literal characters win.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Specificity {
    exact: bool,
    literal_chars: usize,
}

impl NamePattern {
    /// Checks and wraps a pattern; `None` when it is empty.
    pub fn new(text: &str) -> Option<Self> {
        (!text.is_empty()).then(|| NamePattern { text: text.to_owned() })
    }

    /// Returns the pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Returns `true` when `name` matches the whole pattern.
    pub fn matches(&self, name: &str) -> bool {
        let pattern: Vec<char> = self.text.chars().collect();
        let name: Vec<char> = name.chars().collect();
        wildcard_match(&pattern, &name)
    }

    /// Returns how specific this pattern is, to choose between patterns that match one name.
    pub fn specificity(&self) -> Specificity {
        let literal_chars = self.text.chars().filter(|c| !matches!(c, '*' | '?')).count();
        Specificity { exact: literal_chars == self.text.chars().count(), literal_chars }
    }
}

/// Matches with backtracking to the last `*` only, which is linear in practice and never
/// exponential.
fn wildcard_match(pattern: &[char], name: &[char]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            last_star = Some((p, n));
            p += 1;
        } else if let Some((star, star_name)) = last_star {
            p = star + 1;
            n = star_name + 1;
            last_star = Some((star, star_name + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == '*')
}

impl fmt::Display for NamePattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for NamePattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, name: &str) -> bool {
        NamePattern::new(pattern).unwrap().matches(name)
    }

    #[test]
    fn pattern_exact() {
        assert!(matches("shop::checkout", "shop::checkout"));
    }

    #[test]
    fn pattern_exact_rejects_prefix() {
        assert!(!matches("shop::check", "shop::checkout"));
    }

    #[test]
    fn pattern_star_crosses_separators() {
        assert!(matches("shop::*", "shop::cart::add"));
    }

    #[test]
    fn pattern_star_in_middle() {
        assert!(matches("*::debug_*", "shop::cart::debug_dump"));
    }

    #[test]
    fn pattern_star_needs_backtracking() {
        assert!(matches("*a*b", "xaxxab"));
    }

    #[test]
    fn pattern_question_mark_one_char() {
        assert!(!matches("cache_?", "cache_12"));
    }

    #[test]
    fn pattern_empty_rejected() {
        assert!(NamePattern::new("").is_none());
    }

    #[test]
    fn specificity_exact_beats_longer_wildcard() {
        let exact = NamePattern::new("a::b").unwrap().specificity();
        let wildcard = NamePattern::new("a::b*long*").unwrap().specificity();
        assert!(exact > wildcard);
    }

    #[test]
    fn specificity_more_literals_wins() {
        let narrow = NamePattern::new("shop::cart::*").unwrap().specificity();
        let wide = NamePattern::new("shop::*").unwrap().specificity();
        assert!(narrow > wide);
    }
}
