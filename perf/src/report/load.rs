//! Reading JSON exports from files, plain or gzip-compressed.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::input::{ReportInput, ReportInputError};
use crate::snapshot::Snapshot;

/// Error returned by [`load_exports`].
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read.
    #[error("failed to read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Error from the operating system.
        source: std::io::Error,
    },
    /// A file is not a JSON export of perf.
    #[error("{path} is not a perf JSON export: {source}; give files written by a JSON export or saved from GET /api/snapshot")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Position and cause of the mismatch.
        source: serde_json::Error,
    },
    /// The input has no snapshot.
    #[error(transparent)]
    Input(#[from] ReportInputError),
}

/// Reads JSON exports (one snapshot per file, `.gz` files decompressed) and builds the input
/// of a report over the period they cover, ordered by the time each snapshot was taken.
pub fn load_exports(paths: &[PathBuf]) -> Result<ReportInput, LoadError> {
    let snapshots = paths.iter().map(|path| read_snapshot(path)).collect::<Result<Vec<_>, _>>()?;
    let source = match paths {
        [one] => one.display().to_string(),
        many => format!("{} JSON exports", many.len()),
    };
    Ok(ReportInput::from_snapshots(snapshots, source)?)
}

fn read_snapshot(path: &Path) -> Result<Snapshot, LoadError> {
    let read_error = |source| LoadError::Read { path: path.to_owned(), source };
    let raw = std::fs::read(path).map_err(read_error)?;
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut text = Vec::new();
        flate2::read::MultiGzDecoder::new(raw.as_slice()).read_to_end(&mut text).map_err(read_error)?;
        text
    } else {
        raw
    };
    serde_json::from_slice(&bytes).map_err(|source| LoadError::Parse { path: path.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn load_gzip_export_matches_plain() {
        let folder = tempfile::tempdir().unwrap();
        let snapshot = crate::snapshot();
        let json = serde_json::to_vec(&snapshot).unwrap();
        let path = folder.path().join("snapshot.json.gz");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(&json).unwrap();
        std::fs::write(&path, encoder.finish().unwrap()).unwrap();

        let input = load_exports(&[path]).unwrap();
        assert_eq!(input.snapshot, snapshot);
    }

    #[test]
    fn load_rejects_non_export() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("other.json");
        std::fs::write(&path, br#"{"hello": 1}"#).unwrap();

        let error = load_exports(&[path]).unwrap_err();
        assert!(error.to_string().contains("is not a perf JSON export"), "{error}");
    }

    #[test]
    fn load_missing_file_names_it() {
        let error = load_exports(&[PathBuf::from("/nonexistent/perf-report-input.json")]).unwrap_err();
        assert!(error.to_string().starts_with("failed to read /nonexistent/perf-report-input.json"), "{error}");
    }
}
