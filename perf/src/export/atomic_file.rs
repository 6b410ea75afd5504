//! Atomic file replacement: readers see the old file or the new one, never a part of one.
//!
//! The bytes go to a temporary file in the target's folder, so the rename stays within one
//! file system. The file is flushed to disk before it is renamed over the target, and then the
//! folder is synced so that the rename itself survives a crash. Any failure before the rename
//! (a full disk, a missing folder, a permission) removes the temporary file and leaves the
//! previous target untouched.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Replaces the file at `path` with `bytes`, atomically.
///
/// The error keeps the kind of the underlying I/O error (`StorageFull` for a full disk,
/// `NotFound`, `PermissionDenied`, ...) and names the step and the path.
///
/// ```
/// let folder = tempfile::tempdir().unwrap();
/// let path = folder.path().join("report.json");
/// perf::export::write_atomic(&path, b"{}").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"{}");
/// ```
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_through(path, bytes, |file| Box::new(file))
}

/// A writer wrapped around the temporary file, shared with the export thread (tests inject a
/// full disk through it).
pub(crate) type SharedWrap = std::sync::Arc<dyn for<'f> Fn(&'f mut File) -> Box<dyn Write + 'f> + Send + Sync>;

/// Does [`write_atomic`], with the temporary file's writes going through `wrap`. Tests wrap
/// the file in a writer that fails like a full disk.
pub(crate) fn write_atomic_through(
    path: &Path,
    bytes: &[u8],
    wrap: impl for<'f> FnOnce(&'f mut File) -> Box<dyn Write + 'f>,
) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = path.file_name().ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidInput, format!("{} does not name a file", path.display()))
    })?;

    let temporary = temporary_path(folder, &file_name.to_string_lossy());
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(|error| context(error, "create a temporary file", &temporary))?;

    let written = write_and_sync(&mut file, bytes, wrap, &temporary);
    drop(file);
    let renamed = written.and_then(|()| {
        fs::rename(&temporary, path).map_err(|error| context(error, "rename the temporary file to", path))
    });
    if let Err(error) = renamed {
        let _ = fs::remove_file(&temporary);
        return Err(error);
    }

    sync_folder(folder).map_err(|error| context(error, "sync the folder", folder))
}

fn write_and_sync(
    file: &mut File,
    bytes: &[u8],
    wrap: impl for<'f> FnOnce(&'f mut File) -> Box<dyn Write + 'f>,
    temporary: &Path,
) -> io::Result<()> {
    {
        let mut writer = wrap(file);
        writer.write_all(bytes).map_err(|error| context(error, "write", temporary))?;
        writer.flush().map_err(|error| context(error, "flush", temporary))?;
    }
    file.sync_all().map_err(|error| context(error, "sync", temporary))
}

/// Returns a fresh temporary path next to the target, hidden and unique per process and call.
fn temporary_path(folder: &Path, file_name: &str) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let sequence = NEXT.fetch_add(1, Ordering::Relaxed);
    folder.join(format!(".{file_name}.{}.{sequence}.tmp", std::process::id()))
}

#[cfg(unix)]
fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    // Windows cannot open a folder as a file; its renames are durable once they return.
    Ok(())
}

fn context(error: io::Error, step: &str, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("failed to {step} {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Accepts `room` bytes, then fails like a full disk.
    struct FullDisk<'a> {
        file: &'a mut File,
        room: usize,
    }

    impl Write for FullDisk<'_> {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            if self.room == 0 {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "No space left on device (injected)"));
            }
            let accepted = bytes.len().min(self.room);
            self.room -= accepted;
            self.file.write(&bytes[..accepted])
        }

        fn flush(&mut self) -> io::Result<()> {
            self.file.flush()
        }
    }

    fn leftovers(folder: &Path) -> Vec<String> {
        let names =
            fs::read_dir(folder).unwrap().map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned());
        names.filter(|name| name.ends_with(".tmp")).collect()
    }

    #[test]
    fn write_replaces_the_previous_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.json");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert!(leftovers(folder.path()).is_empty());
    }

    #[test]
    fn full_disk_keeps_previous_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("out.json");
        write_atomic(&path, b"previous export").unwrap();

        let error = write_atomic_through(&path, &[b'x'; 64 * 1024], |file| Box::new(FullDisk { file, room: 1000 }))
            .unwrap_err();

        assert_eq!(error.kind(), io::ErrorKind::StorageFull);
        assert!(error.to_string().contains("failed to write"), "{error}");
        assert_eq!(fs::read(&path).unwrap(), b"previous export");
        assert!(leftovers(folder.path()).is_empty(), "the partial temporary file is removed");
    }

    #[test]
    fn parent_that_is_a_file_fails() {
        let folder = tempfile::tempdir().unwrap();
        let blocker = folder.path().join("not-a-folder");
        fs::write(&blocker, b"a regular file").unwrap();

        let error = write_atomic(&blocker.join("out.json"), b"data").unwrap_err();

        assert_eq!(error.kind(), io::ErrorKind::NotADirectory, "{error}");
        assert!(error.to_string().contains("not-a-folder"), "{error}");
        assert_eq!(fs::read(&blocker).unwrap(), b"a regular file");
    }

    #[test]
    fn folder_target_fails_cleanly() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("taken");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("inside"), b"kept").unwrap();

        let error = write_atomic(&target, b"data").unwrap_err();

        assert!(error.to_string().contains("failed to rename"), "{error}");
        assert_eq!(fs::read(target.join("inside")).unwrap(), b"kept");
        assert!(leftovers(folder.path()).is_empty());
    }
}
