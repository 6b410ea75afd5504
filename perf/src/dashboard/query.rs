//! Reading parameters from a percent-encoded query string.

/// Returns the decoded value of the first parameter called `name`, or `None` when it is absent
/// or its value is not valid percent-encoded UTF-8.
pub(crate) fn param(query: &str, name: &str) -> Option<String> {
    query.split('&').filter(|pair| !pair.is_empty()).find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key)? == name).then(|| decode(value)).flatten()
    })
}

/// Decodes `+` as a space and `%XX` as a byte.
fn decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        match byte {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hex = tail.get(..2)?;
                let value = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                bytes.push(value);
                rest = &tail[2..];
                continue;
            }
            other => bytes.push(other),
        }
        rest = tail;
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_decodes_percent_and_plus() {
        let query = "window_ms=60000&site=app%3A%3Acheckout+fast";
        assert_eq!(param(query, "site").as_deref(), Some("app::checkout fast"));
    }

    #[test]
    fn param_missing_is_none() {
        assert_eq!(param("window_ms=1", "site"), None);
    }

    #[test]
    fn param_without_value_is_empty() {
        assert_eq!(param("paused&x=1", "paused").as_deref(), Some(""));
    }

    #[test]
    fn param_bad_escape_is_none() {
        assert_eq!(param("site=%zz", "site"), None);
        assert_eq!(param("site=%4", "site"), None);
    }
}
