//! Response compression: gzip when the client's `Accept-Encoding` allows it.

use std::io::Write;

use flate2::write::GzEncoder;
use flate2::Compression;

/// Bodies below this size are sent as they are: gzip would save little and cost a header.
const MIN_COMPRESSED_BYTES: usize = 1024;

/// Returns `true` when an `Accept-Encoding` header accepts gzip (`gzip`, `x-gzip` or `*` with a
/// quality above 0).
pub(crate) fn accepts_gzip(header: Option<&str>) -> bool {
    let Some(header) = header else {
        return false;
    };
    header.split(',').any(|coding| {
        let mut parts = coding.split(';').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let quality = parts
            .filter_map(|parameter| parameter.split_once('='))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, value)| value.trim().parse::<f32>().unwrap_or(0.0));
        let gzip = name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") || name == "*";
        gzip && quality > 0.0
    })
}

/// Compresses `body` when it is worth it; returns `None` to send it as it is.
pub(crate) fn gzip(body: &[u8]) -> Option<Vec<u8>> {
    if body.len() < MIN_COMPRESSED_BYTES {
        return None;
    }
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 4), Compression::fast());
    encoder.write_all(body).ok()?;
    encoder.finish().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_accepted_forms() {
        assert!(accepts_gzip(Some("gzip")));
        assert!(accepts_gzip(Some("deflate, gzip;q=0.5")));
        assert!(accepts_gzip(Some("*")));
    }

    #[test]
    fn gzip_refused_forms() {
        assert!(!accepts_gzip(None));
        assert!(!accepts_gzip(Some("identity")));
        assert!(!accepts_gzip(Some("gzip;q=0")));
    }

    #[test]
    fn small_body_is_not_compressed() {
        assert_eq!(gzip(b"ok"), None);
    }
}
