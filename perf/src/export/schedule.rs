//! Scheduled exports: a snapshot written to a timestamped file every interval.
//!
//! Each run takes a snapshot, renders it, gzips it when asked, writes it atomically (see
//! [`write_atomic`](super::write_atomic)) and then deletes the oldest files of the template
//! beyond `keep_last`. A failed run leaves every earlier file as it was, is logged, counted in
//! [`status`](super::status) (and so in snapshots and in the exposition), and the next tick
//! tries again.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use flate2::write::GzEncoder;
use flate2::Compression;
use serde::{Deserialize, Serialize};

use super::atomic_file::{self, SharedWrap};
use super::file_name::{FileNameTemplate, TemplateError};
use super::{status, Exposition, ExpositionError, ExpositionOptions, Format};

/// Settings of one scheduled export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledExport {
    /// Name of the export, unique in the process: the key of its status.
    pub name: String,
    /// Format of the files.
    pub format: Format,
    /// Folder of the files; created when missing.
    pub directory: PathBuf,
    /// File name template (see [`FileNameTemplate`]); `.gz` is appended when `gzip` is set and
    /// the template does not end with it.
    pub file_name: String,
    /// Time between two exports. The first export runs when the schedule starts.
    pub interval: Duration,
    /// Compress the files with gzip.
    pub gzip: bool,
    /// Files of this template to keep, newest first; 0 keeps them all.
    pub keep_last: usize,
    /// Settings of the Prometheus and OpenMetrics formats.
    pub exposition: ExpositionOptions,
}

/// Error returned when a schedule cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    /// The file name template is not valid.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The exposition options are not valid.
    #[error(transparent)]
    Exposition(#[from] ExpositionError),
    /// The interval is zero.
    #[error("export interval of {0:?} is too short; use 1s or more")]
    Interval(Duration),
    /// The name is empty.
    #[error("scheduled export needs a name, for its status and its log lines")]
    MissingName,
    /// The export thread could not start.
    #[error("failed to start the export thread: {0}")]
    Spawn(io::Error),
}

/// Error of one export run.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The folder could not be created.
    #[error("failed to create export folder {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The file could not be written; the previous file is intact.
    #[error("failed to write export {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

/// Runs one scheduled export on demand; [`schedule`] runs it on a thread.
pub struct Exporter {
    options: ScheduledExport,
    template: FileNameTemplate,
    exposition: Exposition,
    wrap: Option<SharedWrap>,
}

/// A running schedule. Dropping it (or calling [`stop`](Self::stop)) stops the thread after
/// the run in progress, if any.
#[derive(Debug)]
pub struct ExportHandle {
    name: String,
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Default for ScheduledExport {
    fn default() -> Self {
        ScheduledExport {
            name: "default".to_owned(),
            format: Format::Json,
            directory: PathBuf::from("perf-exports"),
            file_name: "perf-%Y%m%dT%H%M%S%3fZ.json".to_owned(),
            interval: Duration::from_secs(60),
            gzip: false,
            keep_last: 60,
            exposition: ExpositionOptions::default(),
        }
    }
}

/// Starts a scheduled export on a thread of its own.
///
/// ```
/// use std::time::Duration;
/// use perf::export::{Format, ScheduledExport};
///
/// let folder = tempfile::tempdir().unwrap();
/// let handle = perf::export::schedule(ScheduledExport {
///     name: "doc-example".into(),
///     format: Format::Csv,
///     directory: folder.path().to_owned(),
///     file_name: "perf-%Y%m%dT%H%M%S%3f.csv".into(),
///     interval: Duration::from_secs(3600),
///     ..ScheduledExport::default()
/// })
/// .unwrap();
/// handle.stop(); // the first export runs when the schedule starts
/// let status = perf::export::status::get("doc-example").unwrap();
/// assert_eq!(status.successes, 1);
/// ```
pub fn schedule(options: ScheduledExport) -> Result<ExportHandle, ScheduleError> {
    let exporter = Exporter::new(options)?;
    let name = exporter.options.name.clone();
    let interval = exporter.options.interval;
    let stop = Arc::new((Mutex::new(false), Condvar::new()));

    let thread_stop = Arc::clone(&stop);
    let thread = std::thread::Builder::new()
        .name(format!("perf-export-{name}"))
        .spawn(move || run(exporter, interval, &thread_stop))
        .map_err(ScheduleError::Spawn)?;
    tracing::info!(export = %name, ?interval, "perf scheduled export started");
    Ok(ExportHandle { name, stop, thread: Some(thread) })
}

impl Exporter {
    /// Validates the settings and registers the export's status.
    pub fn new(options: ScheduledExport) -> Result<Self, ScheduleError> {
        if options.name.trim().is_empty() {
            return Err(ScheduleError::MissingName);
        }
        if options.interval < Duration::from_secs(1) {
            return Err(ScheduleError::Interval(options.interval));
        }
        let mut template = FileNameTemplate::parse(&options.file_name)?;
        if options.gzip && !options.file_name.ends_with(".gz") {
            template = template.with_suffix(".gz");
        }
        let exposition = Exposition::new(options.exposition.clone())?;

        status::register(&options.name, options.format, &options.directory.to_string_lossy());
        Ok(Exporter { options, template, exposition, wrap: None })
    }

    /// Exports a snapshot taken now, prunes old files, records the result in the status, and
    /// returns the path written.
    pub fn run_once(&self) -> Result<PathBuf, ExportError> {
        let now_ms = crate::collector::unix_ms();
        let result = self.export(now_ms);
        match &result {
            Ok(path) => {
                status::record_success(&self.options.name, now_ms, &path.to_string_lossy());
                tracing::debug!(export = %self.options.name, path = %path.display(), "perf export written");
            }
            Err(error) => {
                status::record_failure(&self.options.name, now_ms, &error.to_string());
                tracing::error!(
                    export = %self.options.name,
                    %error,
                    "perf scheduled export failed; the previous file is intact and the next tick retries",
                );
            }
        }
        result
    }

    /// Routes the file writes through `wrap`, to simulate a failing disk.
    #[cfg(test)]
    pub(crate) fn with_wrap(mut self, wrap: SharedWrap) -> Self {
        self.wrap = Some(wrap);
        self
    }

    fn export(&self, now_ms: u64) -> Result<PathBuf, ExportError> {
        let folder = &self.options.directory;
        fs::create_dir_all(folder).map_err(|source| ExportError::Folder { path: folder.clone(), source })?;

        let path = folder.join(self.template.render(now_ms));
        let snapshot = crate::snapshot();
        let mut bytes = self.options.format.render(&snapshot, &self.exposition);
        if self.options.gzip {
            bytes = gzip(&bytes).map_err(|source| ExportError::Write { path: path.clone(), source })?;
        }

        let written = match &self.wrap {
            Some(wrap) => atomic_file::write_atomic_through(&path, &bytes, |file| wrap(file)),
            None => atomic_file::write_atomic(&path, &bytes),
        };
        written.map_err(|source| ExportError::Write { path: path.clone(), source })?;

        self.prune(folder, &path);
        Ok(path)
    }

    /// Deletes the oldest files of the template beyond `keep_last`. A failure here is logged,
    /// not returned: the export itself succeeded, and the next run tries again.
    fn prune(&self, folder: &Path, written: &Path) {
        if self.options.keep_last == 0 {
            return;
        }
        let entries = match fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(error) => {
                tracing::warn!(export = %self.options.name, folder = %folder.display(), %error, "failed to list old exports");
                return;
            }
        };

        let mut files: Vec<([u64; 8], PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
            .filter_map(|entry| {
                let name = entry.file_name();
                let key = self.template.sort_key(name.to_str()?)?;
                Some((key, entry.path()))
            })
            .collect();
        files.sort();

        let excess = files.len().saturating_sub(self.options.keep_last);
        for (_, path) in files.into_iter().take(excess).filter(|(_, path)| path != written) {
            if let Err(error) = fs::remove_file(&path) {
                tracing::warn!(export = %self.options.name, path = %path.display(), %error, "failed to delete an old export");
            }
        }
    }
}

impl std::fmt::Debug for Exporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exporter").field("options", &self.options).field("template", &self.template).finish()
    }
}

impl ExportHandle {
    /// Returns the name of the export.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Stops the schedule and waits for its thread to end.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        let (stopping, wake) = &*self.stop;
        *stopping.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!(export = %self.name, "perf export thread panicked");
            }
            tracing::info!(export = %self.name, "perf scheduled export stopped");
        }
    }
}

impl Drop for ExportHandle {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn run(exporter: Exporter, interval: Duration, stop: &(Mutex<bool>, Condvar)) {
    let (stopping, wake) = stop;
    let mut next = Instant::now();
    loop {
        // The first export runs as soon as the schedule starts, even if it is stopped at once.
        // The error is logged and recorded by `run_once`; the next tick retries.
        let _ = exporter.run_once();
        next += interval;
        let now = Instant::now();
        if next < now {
            next = now + interval;
        }

        let mut stopped = stopping.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while !*stopped {
            let now = Instant::now();
            if now >= next {
                break;
            }
            stopped = wake.wait_timeout(stopped, next - now).unwrap_or_else(|poisoned| poisoned.into_inner()).0;
        }
        if *stopped {
            return;
        }
    }
}

fn gzip(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 4), Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use std::fs::File;
    use std::io::Read;
    use std::sync::atomic::{AtomicBool, Ordering};

    use flate2::read::GzDecoder;

    use super::*;

    fn options(name: &str, folder: &Path) -> ScheduledExport {
        ScheduledExport {
            name: name.to_owned(),
            directory: folder.to_owned(),
            file_name: "snap-%Y%m%dT%H%M%S%3f.json".to_owned(),
            interval: Duration::from_secs(3600),
            ..ScheduledExport::default()
        }
    }

    fn files(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Fails every write like a full disk while `full` is set.
    fn switchable_disk(full: Arc<AtomicBool>) -> SharedWrap {
        struct Disk<'a> {
            file: &'a mut File,
            full: Arc<AtomicBool>,
        }
        impl Write for Disk<'_> {
            fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
                if self.full.load(Ordering::SeqCst) {
                    return Err(io::Error::new(io::ErrorKind::StorageFull, "No space left on device (injected)"));
                }
                self.file.write(bytes)
            }
            fn flush(&mut self) -> io::Result<()> {
                self.file.flush()
            }
        }
        Arc::new(move |file| Box::new(Disk { file, full: Arc::clone(&full) }))
    }

    #[test]
    fn run_writes_a_readable_json_file() {
        let folder = tempfile::tempdir().unwrap();
        let exporter = Exporter::new(options("unit-json", folder.path())).unwrap();
        let path = exporter.run_once().unwrap();
        let snapshot = crate::export::from_json(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(snapshot.sites.len(), crate::sites().len());
    }

    #[test]
    fn gzip_file_decompresses_to_csv() {
        let folder = tempfile::tempdir().unwrap();
        let exporter = Exporter::new(ScheduledExport {
            format: Format::Csv,
            file_name: "snap-%Y%m%dT%H%M%S%3f.csv".to_owned(),
            gzip: true,
            ..options("unit-gzip", folder.path())
        })
        .unwrap();
        let path = exporter.run_once().unwrap();
        assert!(path.to_string_lossy().ends_with(".csv.gz"), "{}", path.display());

        let mut text = String::new();
        GzDecoder::new(File::open(&path).unwrap()).read_to_string(&mut text).unwrap();
        assert!(text.starts_with("taken_at_ms,record,name,"), "{text}");
    }

    #[test]
    fn keep_last_prunes_oldest_files() {
        let folder = tempfile::tempdir().unwrap();
        let unrelated = folder.path().join("notes.txt");
        fs::write(&unrelated, b"not an export").unwrap();
        // Three older exports, named as the template would have named them.
        for second in ["00", "01", "02"] {
            fs::write(folder.path().join(format!("snap-20010909T0146{second}000.json")), b"{}").unwrap();
        }

        let exporter = Exporter::new(ScheduledExport { keep_last: 2, ..options("unit-prune", folder.path()) }).unwrap();
        let newest = exporter.run_once().unwrap();

        let newest = newest.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(
            files(folder.path()),
            vec!["notes.txt".to_owned(), "snap-20010909T014602000.json".to_owned(), newest]
        );
    }

    #[test]
    fn full_disk_keeps_file_and_retries() {
        let folder = tempfile::tempdir().unwrap();
        let full = Arc::new(AtomicBool::new(false));
        let exporter = Exporter::new(ScheduledExport {
            file_name: "latest.json".to_owned(),
            ..options("unit-full-disk", folder.path())
        })
        .unwrap()
        .with_wrap(switchable_disk(Arc::clone(&full)));

        let path = exporter.run_once().unwrap();
        let previous = fs::read(&path).unwrap();

        full.store(true, Ordering::SeqCst);
        let error = exporter.run_once().unwrap_err();
        assert!(
            matches!(&error, ExportError::Write { source, .. } if source.kind() == io::ErrorKind::StorageFull),
            "{error}"
        );
        assert_eq!(fs::read(&path).unwrap(), previous, "the previous export is intact");
        assert_eq!(files(folder.path()), vec!["latest.json".to_owned()], "no temporary file is left");

        let failed = status::get("unit-full-disk").unwrap();
        assert_eq!((failed.successes, failed.failures, failed.consecutive_failures), (1, 1, 1));
        assert!(failed.last_error.as_deref().unwrap_or_default().contains("No space left"), "{failed:?}");

        full.store(false, Ordering::SeqCst);
        exporter.run_once().unwrap();
        let recovered = status::get("unit-full-disk").unwrap();
        assert_eq!((recovered.successes, recovered.consecutive_failures), (2, 0));
        assert_eq!(recovered.last_error, None);
    }

    #[test]
    fn interval_below_a_second_is_rejected() {
        let folder = tempfile::tempdir().unwrap();
        let result = Exporter::new(ScheduledExport {
            interval: Duration::from_millis(10),
            ..options("unit-interval", folder.path())
        });
        assert!(matches!(result, Err(ScheduleError::Interval(_))));
    }
}
