//! The files the demo serves: the directory tree, indexed once at start-up, and the
//! byte-weighted cache in front of the disk reads.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use perf_cache::{CacheDefinition, MokaCache};

/// Most files indexed; a larger tree is served in part.
pub(crate) const MAX_FILES: usize = 200_000;

/// The files under a root, by path relative to it (`/`-separated). Their order is their
/// popularity rank: shuffled with a fixed seed, so each run ranks the same files first.
#[derive(Debug)]
pub(crate) struct FileIndex {
    pub(crate) paths: Vec<String>,
    known: HashSet<String>,
    /// Files left out: names that need percent-encoding in a URL, or past [`MAX_FILES`].
    pub(crate) skipped: usize,
}

/// Returns the byte length of a cached file body: the cache's weight.
fn body_weight(_path: &String, body: &Arc<[u8]>) -> u64 {
    body.len() as u64
}

/// File bodies by relative path, weighted by their size in bytes.
#[derive(Debug, perf_cache::MonitoredCache)]
#[cache(name = "demo_files", capacity = 32 * 1024 * 1024, weigher = body_weight, target_hit_rate = 0.8, target_latency = "1ms")]
pub(crate) struct FileCache {
    #[cache(store)]
    bodies: MokaCache<String, Arc<[u8]>>,
    root: PathBuf,
}

impl FileIndex {
    /// Indexes the regular files under `root`, not following symbolic links.
    pub(crate) fn scan(root: &Path) -> io::Result<FileIndex> {
        let mut paths = Vec::new();
        let mut skipped = 0;
        let mut pending = vec![PathBuf::new()];
        while let Some(relative) = pending.pop() {
            for entry in fs::read_dir(root.join(&relative))? {
                let entry = entry?;
                let kind = entry.file_type()?;
                let path = relative.join(entry.file_name());
                if kind.is_dir() {
                    pending.push(path);
                    continue;
                }
                if !kind.is_file() {
                    continue;
                }
                match url_path(&path) {
                    Some(url) if paths.len() < MAX_FILES => paths.push(url),
                    _ => skipped += 1,
                }
            }
        }

        paths.sort_unstable();
        fastrand::Rng::with_seed(0x5eed).shuffle(&mut paths);
        let known = paths.iter().cloned().collect();
        Ok(FileIndex { paths, known, skipped })
    }

    /// Returns `true` if `path` (relative, `/`-separated) is an indexed file.
    pub(crate) fn contains(&self, path: &str) -> bool {
        self.known.contains(path)
    }
}

impl FileCache {
    /// Creates a cache of `capacity` bytes over the files under `root`.
    pub(crate) fn new(root: &Path, capacity: u64) -> FileCache {
        FileCache { bodies: FileCache::store_builder().capacity(capacity).build(), root: root.to_owned() }
    }

    /// Applies the evictions moka has deferred, so the cache's counts and size are exact.
    pub(crate) fn run_pending_tasks(&self) {
        self.bodies.run_pending_tasks();
    }

    /// Returns the body of `path`, from the cache or else from the disk.
    pub(crate) fn read(&self, path: &str) -> io::Result<Arc<[u8]>> {
        self.bodies.try_get_or_load(path.to_owned(), |path| read_from_disk(&self.root, path))
    }
}

/// Reads one file: the load behind every cache miss.
#[perf::monitored(name = "demo::read_from_disk")]
fn read_from_disk(root: &Path, path: &str) -> io::Result<Arc<[u8]>> {
    fs::read(root.join(path)).map(Arc::from)
}

/// Returns the directory to serve when `--root` is not given: the toolchain's HTML
/// documentation, else the Cargo registry sources, whichever exists.
pub(crate) fn default_root() -> Result<PathBuf, String> {
    let mut tried = Vec::new();
    if let Some(sysroot) = rustc_sysroot() {
        let docs = sysroot.join("share/doc/rust/html");
        if docs.is_dir() {
            return Ok(docs);
        }
        tried.push(docs);
    }

    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    if let Some(registry) = cargo_home.map(|home| home.join("registry/src")) {
        if registry.is_dir() {
            return Ok(registry);
        }
        tried.push(registry);
    }

    let tried: Vec<String> = tried.iter().map(|path| path.display().to_string()).collect();
    Err(format!(
        "no default directory to serve: tried {}; pass one with --root DIR",
        if tried.is_empty() { "nothing (rustc and CARGO_HOME not found)".to_owned() } else { tried.join(" and ") }
    ))
}

fn rustc_sysroot() -> Option<PathBuf> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc).args(["--print", "sysroot"]).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(PathBuf::from(text.trim()))
}

/// Returns `path` as a URL path when it needs no percent-encoding, `None` otherwise.
fn url_path(path: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for component in path.components() {
        let part = component.as_os_str().to_str()?;
        let safe = part.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"-._~+".contains(&byte));
        if !safe || part.is_empty() {
            return None;
        }
        parts.push(part);
    }
    Some(parts.join("/"))
}
