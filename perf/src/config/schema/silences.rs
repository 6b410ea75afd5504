//! `[silences.NAME]`: alerts matching the matchers send no notification between two instants.
//!
//! ```toml
//! [silences.maintenance]
//! matchers = ['component="search"']
//! starts_at = 2026-01-10T22:00:00Z
//! ends_at = 2026-01-11T02:00:00Z
//! comment = "index rebuild"
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};

use crate::config::decode::Decoder;
use crate::config::tree::Node;
use crate::config::values;
use crate::rule::Matcher;

/// One silence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Silence {
    /// Label matchers, all of which must hold; at least one.
    pub matchers: Vec<Matcher>,
    /// Start of the silence.
    #[serde(serialize_with = "serialize_time")]
    pub starts_at: SystemTime,
    /// End of the silence, after its start.
    #[serde(serialize_with = "serialize_time")]
    pub ends_at: SystemTime,
    /// Reason for the silence.
    pub comment: String,
    /// Author of the silence.
    pub created_by: String,
}

pub(crate) fn decode(cx: &mut Decoder<'_>, _name: &str, node: &Node, key: &str) -> Option<Silence> {
    let mut fields = cx.fields(node, key)?;
    let matchers_node = fields.take("matchers");
    let matchers = fields.require(cx, "matchers", "matchers = ['site=\"shop::checkout\"']", values::matchers);
    let starts_at = fields.require(cx, "starts_at", "starts_at = 2026-01-10T22:00:00Z", values::datetime);
    let ends_node = fields.take("ends_at");
    let ends_at = fields.require(cx, "ends_at", "ends_at = 2026-01-11T02:00:00Z", values::datetime);
    let comment = fields.get(cx, "comment", values::string).unwrap_or_default();
    let created_by = fields.get(cx, "created_by", values::string).unwrap_or_default();
    fields.finish(cx);

    let (matchers, starts_at, ends_at) = (matchers?, starts_at?, ends_at?);
    if let (true, Some(node)) = (matchers.is_empty(), matchers_node) {
        cx.error(
            &node.origin,
            &format!("{key}.matchers"),
            format!("{key}.matchers: a silence needs at least one matcher, or it would mute every alert"),
        );
        return None;
    }
    if ends_at <= starts_at {
        if let Some(node) = ends_node {
            let message =
                format!("{key}.ends_at: {} is not after starts_at; a silence must end after it starts", node.display());
            cx.error(&node.origin, &format!("{key}.ends_at"), message);
        }
        return None;
    }
    Some(Silence { matchers, starts_at, ends_at, comment, created_by })
}

fn serialize_time<S: Serializer>(time: &SystemTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&format_rfc3339(*time))
}

/// Formats an instant as an RFC 3339 date-time in UTC, to the second.
pub(crate) fn format_rfc3339(time: SystemTime) -> String {
    let seconds = time.duration_since(UNIX_EPOCH).map(|since| since.as_secs()).unwrap_or(0);
    let (days, second_of_day) = ((seconds / 86_400) as i64, seconds % 86_400);
    let (year, month, day) = civil_from_days(days);
    let (hour, minute, second) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn format_rfc3339_epoch() {
        assert_eq!(format_rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn format_rfc3339_leap_day() {
        // 951_782_400 s after the epoch is 2000-02-29T00:00:00Z (11_016 days of 86_400 s).
        assert_eq!(format_rfc3339(UNIX_EPOCH + Duration::from_secs(11_016 * 86_400 + 3_661)), "2000-02-29T01:01:01Z");
    }
}
