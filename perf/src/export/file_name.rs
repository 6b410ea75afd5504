//! File names made from a timestamp template, and recognized again when old files are pruned.
//!
//! A template is a file name with strftime-style fields, in UTC: `%Y` (4-digit year), `%m`,
//! `%d`, `%H`, `%M`, `%S` (2 digits each), `%3f` (milliseconds, 3 digits), `%s` (seconds since
//! the Unix epoch) and `%%` (a `%`). Only these fields are accepted, so every name a template
//! makes can be matched and ordered by its time again, whatever the order of the fields.

use std::fmt::Write as _;

/// A parsed file name template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNameTemplate {
    template: String,
    tokens: Vec<Token>,
}

/// Error returned for a template that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// The template uses a field that is not supported.
    #[error("file name template {template:?} uses unsupported field %{field}; use %Y %m %d %H %M %S %3f %s or %%")]
    UnsupportedField {
        /// The template.
        template: String,
        /// The field after `%`.
        field: String,
    },
    /// `%s` is directly followed by another field, so names could not be split again.
    #[error(
        "file name template {0:?} has %s directly followed by another field; put a separator after %s, as in %s-%3f"
    )]
    AmbiguousEpochSeconds(String),
    /// The template is empty, names a folder, or contains a path separator.
    #[error("file name template {0:?} is not a file name; give a name such as perf-%Y%m%dT%H%M%SZ.json, and the folder separately")]
    NotAFileName(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    EpochSeconds,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Literal(String),
    Field(Field),
}

/// A UTC date and time split into fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    millisecond: u32,
}

impl FileNameTemplate {
    /// Parses a template.
    ///
    /// ```
    /// let template = perf::export::FileNameTemplate::parse("perf-%Y%m%dT%H%M%S.json").unwrap();
    /// assert_eq!(template.render(951_782_400_000), "perf-20000229T000000.json");
    /// assert!(template.matches("perf-20240101T120000.json"));
    /// assert!(!template.matches("perf-latest.json"));
    /// ```
    pub fn parse(template: &str) -> Result<Self, TemplateError> {
        let invalid_name =
            template.is_empty() || template == "." || template == ".." || template.contains(['/', '\\', '\0']);
        if invalid_name {
            return Err(TemplateError::NotAFileName(template.to_owned()));
        }

        let mut tokens = Vec::new();
        let mut literal = String::new();
        let mut chars = template.chars();
        while let Some(character) = chars.next() {
            if character != '%' {
                literal.push(character);
                continue;
            }
            let field = match chars.next() {
                Some('%') => {
                    literal.push('%');
                    continue;
                }
                Some('Y') => Field::Year,
                Some('m') => Field::Month,
                Some('d') => Field::Day,
                Some('H') => Field::Hour,
                Some('M') => Field::Minute,
                Some('S') => Field::Second,
                Some('s') => Field::EpochSeconds,
                Some('3') if chars.next() == Some('f') => Field::Millisecond,
                other => {
                    let field = other.map(String::from).unwrap_or_default();
                    return Err(TemplateError::UnsupportedField { template: template.to_owned(), field });
                }
            };
            if !literal.is_empty() {
                tokens.push(Token::Literal(std::mem::take(&mut literal)));
            }
            tokens.push(Token::Field(field));
        }
        if !literal.is_empty() {
            tokens.push(Token::Literal(literal));
        }
        let ambiguous =
            tokens.windows(2).any(|pair| matches!(pair, [Token::Field(Field::EpochSeconds), Token::Field(_)]));
        if ambiguous {
            return Err(TemplateError::AmbiguousEpochSeconds(template.to_owned()));
        }
        Ok(FileNameTemplate { template: template.to_owned(), tokens })
    }

    /// Returns the template text.
    pub fn as_str(&self) -> &str {
        &self.template
    }

    /// Returns a template that makes the same names with `suffix` appended.
    pub(crate) fn with_suffix(&self, suffix: &str) -> FileNameTemplate {
        let mut template = self.clone();
        template.template.push_str(&suffix.replace('%', "%%"));
        match template.tokens.last_mut() {
            Some(Token::Literal(literal)) => literal.push_str(suffix),
            _ => template.tokens.push(Token::Literal(suffix.to_owned())),
        }
        template
    }

    /// Returns the file name for a time in milliseconds since the Unix epoch (UTC).
    pub fn render(&self, unix_ms: u64) -> String {
        let civil = Civil::from_unix_ms(unix_ms);
        let mut name = String::with_capacity(self.template.len() + 16);
        for token in &self.tokens {
            // Writing into a String cannot fail.
            let _ = match token {
                Token::Literal(text) => write!(name, "{text}"),
                Token::Field(Field::Year) => write!(name, "{:04}", civil.year),
                Token::Field(Field::Month) => write!(name, "{:02}", civil.month),
                Token::Field(Field::Day) => write!(name, "{:02}", civil.day),
                Token::Field(Field::Hour) => write!(name, "{:02}", civil.hour),
                Token::Field(Field::Minute) => write!(name, "{:02}", civil.minute),
                Token::Field(Field::Second) => write!(name, "{:02}", civil.second),
                Token::Field(Field::Millisecond) => write!(name, "{:03}", civil.millisecond),
                Token::Field(Field::EpochSeconds) => write!(name, "{}", unix_ms / 1000),
            };
        }
        name
    }

    /// Returns `true` when `name` is a name this template could have made.
    pub fn matches(&self, name: &str) -> bool {
        self.sort_key(name).is_some()
    }

    /// Returns a key that orders the names of this template by the time they encode, or `None`
    /// for a name the template could not have made.
    pub(crate) fn sort_key(&self, name: &str) -> Option<[u64; 8]> {
        // Slots: epoch seconds, year, month, day, hour, minute, second, millisecond.
        let mut key = [0u64; 8];
        let mut rest = name;
        for token in &self.tokens {
            match token {
                Token::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
                Token::Field(field) => {
                    let width = match field {
                        Field::Year => 4,
                        Field::Millisecond => 3,
                        Field::EpochSeconds => {
                            // Variable width: every digit up to the next literal, which `parse`
                            // guarantees is not a digit field.
                            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                            if digits == 0 {
                                return None;
                            }
                            digits
                        }
                        _ => 2,
                    };
                    let digits = rest.get(..width).filter(|digits| digits.bytes().all(|byte| byte.is_ascii_digit()))?;
                    let value: u64 = digits.parse().ok()?;
                    key[field.sort_slot()] = value;
                    rest = &rest[width..];
                }
            }
        }
        rest.is_empty().then_some(key)
    }
}

impl Field {
    fn sort_slot(self) -> usize {
        match self {
            Field::EpochSeconds => 0,
            Field::Year => 1,
            Field::Month => 2,
            Field::Day => 3,
            Field::Hour => 4,
            Field::Minute => 5,
            Field::Second => 6,
            Field::Millisecond => 7,
        }
    }
}

impl Civil {
    /// Splits a Unix time into its UTC calendar fields, in the proleptic Gregorian calendar:
    /// days are counted from 0000-03-01 in 400-year eras, so leap days fall at the end of a
    /// year and need no special case.
    fn from_unix_ms(unix_ms: u64) -> Civil {
        let seconds = unix_ms / 1000;
        let days = (seconds / 86_400) as i64;
        let second_of_day = seconds % 86_400;

        let shifted = days + 719_468;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted.rem_euclid(146_097);
        let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
        let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);

        Civil {
            year,
            month,
            day,
            hour: (second_of_day / 3_600) as u32,
            minute: (second_of_day % 3_600 / 60) as u32,
            second: (second_of_day % 60) as u32,
            millisecond: (unix_ms % 1000) as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn civil(unix_ms: u64) -> (i64, u32, u32, u32, u32, u32, u32) {
        let c = Civil::from_unix_ms(unix_ms);
        (c.year, c.month, c.day, c.hour, c.minute, c.second, c.millisecond)
    }

    #[test]
    fn civil_of_known_instants() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0, 0));
        // 2000-02-29T00:00:00Z, a leap day of a century divisible by 400.
        assert_eq!(civil(951_782_400_000), (2000, 2, 29, 0, 0, 0, 0));
        // 2024-02-29T23:59:59.999Z.
        assert_eq!(civil(1_709_251_199_999), (2024, 2, 29, 23, 59, 59, 999));
        // 2100-03-01T00:00:00Z: 2100 is not a leap year.
        assert_eq!(civil(4_107_542_400_000), (2100, 3, 1, 0, 0, 0, 0));
        // 1999-12-31T23:59:59Z.
        assert_eq!(civil(946_684_799_000), (1999, 12, 31, 23, 59, 59, 0));
    }

    #[test]
    fn render_fills_every_field() {
        let template = FileNameTemplate::parse("x-%Y-%m-%d_%H.%M.%S.%3f-%s-100%%.csv").unwrap();
        assert_eq!(template.render(1_709_251_199_999), "x-2024-02-29_23.59.59.999-1709251199-100%.csv");
    }

    #[test]
    fn rendered_names_match_their_template() {
        let template = FileNameTemplate::parse("perf-%Y%m%dT%H%M%S%3fZ.json").unwrap();
        let name = template.render(1_700_000_000_123);
        assert!(template.matches(&name), "{name}");
        assert!(!template.matches(&format!("{name}.tmp")));
        assert!(!template.matches("perf-2023111422131x123Z.json"));
    }

    #[test]
    fn sort_key_orders_by_time_not_by_text() {
        let template = FileNameTemplate::parse("%d-%m-%Y.json").unwrap();
        let older = template.render(946_684_799_000); // 31-12-1999
        let newer = template.render(951_782_400_000); // 29-02-2000
        assert!(older > newer, "the text order is the wrong way round");
        assert!(template.sort_key(&older) < template.sort_key(&newer));
    }

    #[test]
    fn epoch_seconds_field_matches_any_width() {
        let template = FileNameTemplate::parse("snap-%s.json").unwrap();
        assert!(template.matches("snap-5.json"));
        assert!(template.matches("snap-1709251199.json"));
        assert!(!template.matches("snap-.json"));
    }

    #[test]
    fn suffix_is_matched() {
        let template = FileNameTemplate::parse("a-%S.json").unwrap().with_suffix(".gz");
        assert_eq!(template.render(7_000), "a-07.json.gz");
        assert!(template.matches("a-07.json.gz"));
        assert!(!template.matches("a-07.json"));
    }

    #[test]
    fn unsupported_field_is_rejected() {
        let error = FileNameTemplate::parse("perf-%A.json").unwrap_err();
        assert_eq!(error, TemplateError::UnsupportedField { template: "perf-%A.json".into(), field: "A".into() });
    }

    #[test]
    fn epoch_seconds_before_a_field_is_rejected() {
        let error = FileNameTemplate::parse("snap-%s%3f.json").unwrap_err();
        assert_eq!(error, TemplateError::AmbiguousEpochSeconds("snap-%s%3f.json".into()));
    }

    #[test]
    fn path_is_rejected() {
        assert_eq!(
            FileNameTemplate::parse("out/perf.json").unwrap_err(),
            TemplateError::NotAFileName("out/perf.json".into())
        );
        assert!(FileNameTemplate::parse("").is_err());
    }
}
