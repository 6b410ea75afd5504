//! The JSON export: the whole snapshot, with every histogram in its lossless form (see
//! [`hdr`](super::hdr)), so that exports of several processes merge exactly with
//! [`merge`](super::merge()).

use crate::snapshot::Snapshot;

/// Error returned when a JSON export cannot be read back.
#[derive(Debug, thiserror::Error)]
#[error("invalid perf JSON export: {0}; expected the output of perf::export::to_json or /api/snapshot")]
pub struct JsonImportError(#[from] serde_json::Error);

/// Serializes a snapshot to compact JSON.
///
/// ```
/// let json = perf::export::to_json(&perf::snapshot());
/// let back = perf::export::from_json(&json).unwrap();
/// assert_eq!(back.sites.len(), perf::sites().len());
/// ```
pub fn to_json(snapshot: &Snapshot) -> Vec<u8> {
    // Serializing plain data into memory cannot fail: maps have string keys, floats are finite
    // or written as null by serde_json.
    serde_json::to_vec(snapshot).unwrap_or_default()
}

/// Serializes a snapshot to indented JSON, for files people read.
pub fn to_json_pretty(snapshot: &Snapshot) -> Vec<u8> {
    serde_json::to_vec_pretty(snapshot).unwrap_or_default()
}

/// Reads a snapshot back from a JSON export.
///
/// NOTE: JSON has no NaN or infinity, and serde_json writes them as `null`, which does not
/// read back as a number: an export holding a `float_gauge!` set to NaN or infinity fails here.
pub fn from_json(bytes: &[u8]) -> Result<Snapshot, JsonImportError> {
    Ok(serde_json::from_slice(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_export_is_rejected_with_position() {
        let json = to_json(&crate::snapshot());
        let error = from_json(&json[..json.len() / 2]).unwrap_err();
        assert!(error.to_string().contains("line 1 column"), "{error}");
    }
}
