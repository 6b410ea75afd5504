//! The lossless form of a histogram in exports: an HdrHistogram in its V2 serialized format,
//! base64-encoded (standard alphabet, with padding).
//!
//! Our bucket layout is the layout of an HdrHistogram with two significant digits, so a
//! [`Buckets`] copy encodes into exactly one HdrHistogram and decodes back into the same
//! buckets. Any HdrHistogram tool (Java, Go, Rust, JavaScript) reads the blobs, and blobs from
//! several processes add up exactly.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hdrhistogram::serialization::{Deserializer, Serializer as _, V2Serializer};

use crate::metric::buckets;
use crate::metric::Buckets;

/// Error returned when a histogram blob cannot be decoded.
#[derive(Debug, thiserror::Error)]
pub enum HistogramDecodeError {
    /// The text is not valid base64.
    #[error("histogram blob is not valid base64 ({0}); expected the base64 of an HdrHistogram V2 serialization")]
    Base64(#[from] base64::DecodeError),
    /// The bytes are not an HdrHistogram serialization.
    #[error("histogram blob is not a valid HdrHistogram V2 serialization: {0}")]
    Hdr(String),
}

/// Encodes a histogram as the base64 of its HdrHistogram V2 serialization.
///
/// ```
/// let histogram = perf::Histogram::new();
/// histogram.record_n(1_500, 3);
/// let blob = perf::export::encode_histogram(&histogram.buckets());
/// let decoded = perf::export::decode_histogram(&blob).unwrap();
/// assert_eq!(decoded, histogram.buckets());
/// ```
pub fn encode_histogram(buckets: &Buckets) -> String {
    let hdr = buckets.to_hdr();
    let mut bytes = Vec::new();
    // A count above i64::MAX is the only failure of the V2 serializer on a Vec; `Buckets` counts
    // saturate at u64::MAX, so clamp rather than fail.
    if V2Serializer::new().serialize(&hdr, &mut bytes).is_err() {
        let mut clamped = hdr.clone();
        clamped.reset();
        for value in hdr.iter_recorded() {
            let count = value.count_at_value().min(i64::MAX as u64);
            let _ = clamped.record_n(value.value_iterated_to(), count);
        }
        bytes.clear();
        let _ = V2Serializer::new().serialize(&clamped, &mut bytes);
    }
    STANDARD.encode(bytes)
}

/// Decodes a blob made by [`encode_histogram`] (or by any HdrHistogram V2 serializer).
///
/// A histogram of another precision is folded into our buckets, each of its buckets counted
/// at its highest equivalent value. A histogram made by this crate decodes exactly.
pub fn decode_histogram(blob: &str) -> Result<Buckets, HistogramDecodeError> {
    let bytes = STANDARD.decode(blob.trim())?;
    let hdr: hdrhistogram::Histogram<u64> = Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .map_err(|error| HistogramDecodeError::Hdr(format!("{error:?}")))?;

    let mut counts: Vec<(u16, u64)> = Vec::new();
    for value in hdr.iter_recorded() {
        let (block, slot) = buckets::locate(value.value_iterated_to());
        let index = buckets::flat_index(block, slot);
        let count = value.count_at_value();
        match counts.last_mut() {
            Some((last, total)) if *last == index => *total = total.saturating_add(count),
            _ => counts.push((index, count)),
        }
    }
    Ok(Buckets::from_sorted(counts))
}

/// Serde support for `Option<Buckets>` fields as base64 HdrHistogram blobs (or `null`).
pub(crate) mod option {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::metric::Buckets;

    pub(crate) fn serialize<S: Serializer>(value: &Option<Buckets>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(buckets) => serializer.serialize_str(&super::encode_histogram(buckets)),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Buckets>, D::Error> {
        let blob: Option<String> = Option::deserialize(deserializer)?;
        blob.map(|blob| super::decode_histogram(&blob).map_err(serde::de::Error::custom)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metric::Histogram;

    #[test]
    fn round_trip_keeps_every_bucket() {
        let histogram = Histogram::new();
        for value in [0, 1, 255, 256, 1_000, 123_456, 9_999_999, 1 << 40] {
            histogram.record_n(value, value % 7 + 1);
        }
        let buckets = histogram.buckets();
        let decoded = decode_histogram(&encode_histogram(&buckets)).unwrap();
        assert_eq!(decoded, buckets);
    }

    #[test]
    fn empty_histogram_round_trips() {
        let decoded = decode_histogram(&encode_histogram(&Buckets::default())).unwrap();
        assert!(decoded.is_empty());
    }

    #[test]
    fn blob_is_readable_by_hdrhistogram() {
        let histogram = Histogram::new();
        histogram.record_n(5_000, 4);
        let bytes = STANDARD.decode(encode_histogram(&histogram.buckets())).unwrap();
        let hdr: hdrhistogram::Histogram<u64> = Deserializer::new().deserialize(&mut bytes.as_slice()).unwrap();
        assert_eq!(hdr.len(), 4);
        assert!(hdr.equivalent(hdr.max(), 5_000));
    }

    #[test]
    fn invalid_base64_is_rejected() {
        let error = decode_histogram("not base64!").unwrap_err();
        assert!(matches!(error, HistogramDecodeError::Base64(_)), "{error}");
    }

    #[test]
    fn foreign_bytes_are_rejected() {
        let error = decode_histogram(&STANDARD.encode(b"hello world")).unwrap_err();
        assert!(matches!(error, HistogramDecodeError::Hdr(_)), "{error}");
    }
}
