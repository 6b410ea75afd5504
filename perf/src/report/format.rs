//! Number and time formatting for reports: the same units as the dashboard.

/// Formats nanoseconds with the largest unit that keeps the number at or above 1.
pub(crate) fn duration(nanos: f64) -> String {
    if !nanos.is_finite() {
        return "–".to_owned();
    }
    const UNITS: [(f64, &str); 5] = [(3600e9, "h"), (60e9, "min"), (1e9, "s"), (1e6, "ms"), (1e3, "µs")];
    for (size, unit) in UNITS {
        if nanos.abs() >= size {
            return format!("{} {unit}", trim(nanos / size));
        }
    }
    format!("{} ns", trim(nanos))
}

/// Formats a count with k, M and G suffixes from ten thousand up.
pub(crate) fn count(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let magnitude = value.abs();
    if magnitude >= 1e9 {
        format!("{}G", trim(value / 1e9))
    } else if magnitude >= 1e6 {
        format!("{}M", trim(value / 1e6))
    } else if magnitude >= 1e4 {
        format!("{}k", trim(value / 1e3))
    } else {
        trim(value)
    }
}

/// Formats a fraction (0.25) as a percentage (25%).
pub(crate) fn percent(fraction: f64) -> String {
    if !fraction.is_finite() {
        return "–".to_owned();
    }
    let value = fraction * 100.0;
    if value != 0.0 && value.abs() < 0.1 {
        return format!("{value:.2}%");
    }
    format!("{}%", trim(value))
}

/// Formats a size in bytes with binary units.
pub(crate) fn bytes(value: f64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut size = value;
    let mut unit = 0;
    while size.abs() >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    format!("{} {}", trim(size), UNITS[unit])
}

/// Formats milliseconds since the Unix epoch as `YYYY-MM-DD HH:MM:SS` in UTC.
pub(crate) fn date_time(ms: u64) -> String {
    let (date, time) = split_utc(ms);
    format!("{date} {time}")
}

/// Formats milliseconds since the Unix epoch as `HH:MM:SS` in UTC.
pub(crate) fn clock(ms: u64) -> String {
    split_utc(ms).1
}

/// Keeps three significant digits, without trailing zeros.
fn trim(value: f64) -> String {
    if value == 0.0 {
        return "0".to_owned();
    }
    let magnitude = value.abs();
    let digits = if magnitude >= 100.0 {
        0
    } else if magnitude >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{value:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

fn split_utc(ms: u64) -> (String, String) {
    let seconds = ms / 1000;
    let days = (seconds / 86_400) as i64;
    let of_day = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!("{:02}:{:02}:{:02}", of_day / 3600, of_day / 60 % 60, of_day % 60),
    )
}

/// Converts days since 1970-01-01 into a proleptic Gregorian (year, month, day), counting in
/// 400-year eras of 146 097 days that start on 1 March.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_picks_unit() {
        assert_eq!(duration(1_500_000.0), "1.5 ms");
        assert_eq!(duration(250.0), "250 ns");
        assert_eq!(duration(42_000_000_000.0), "42 s");
    }

    #[test]
    fn count_uses_suffixes() {
        assert_eq!(count(9_999.0), "9999");
        assert_eq!(count(12_345.0), "12.3k");
        assert_eq!(count(2_500_000.0), "2.5M");
    }

    #[test]
    fn percent_of_fraction() {
        assert_eq!(percent(0.25), "25%");
        assert_eq!(percent(0.0004), "0.04%");
    }

    #[test]
    fn bytes_binary_units() {
        assert_eq!(bytes(1536.0), "1.5 KiB");
        assert_eq!(bytes(3.0 * 1024.0 * 1024.0), "3 MiB");
    }

    #[test]
    fn date_time_epoch_and_leap_day() {
        assert_eq!(date_time(0), "1970-01-01 00:00:00");
        // 2024-02-29 12:34:56 UTC is 1 709 210 096 seconds after the epoch.
        assert_eq!(date_time(1_709_210_096_000), "2024-02-29 12:34:56");
    }
}
