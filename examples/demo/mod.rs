//! The demo's service: a file index, the cache, the HTTP server and the load generator,
//! started together and stopped together. `demo.rs` adds the command line and the output;
//! the integration tests run the same service.

pub(crate) mod files;
pub(crate) mod flags;
pub(crate) mod load;
pub(crate) mod report;
pub(crate) mod server;
pub(crate) mod zipf;

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use files::{FileCache, FileIndex};
use flags::Options;
use load::{LoadGenerator, Workload};
use server::{FileServer, Site};
use zipf::Zipf;

/// A running demo: server and load generator.
#[derive(Debug)]
pub(crate) struct Demo {
    /// Kept here so the cache outlives the server threads, until the demo is dropped.
    site: Arc<Site>,
    /// perf's endpoint: the live dashboard, `/metrics` and `/api`.
    endpoint: Option<perf::http::Server>,
    server: FileServer,
    load: LoadGenerator,
    started: Instant,
    root: PathBuf,
}

/// A failure to start the demo.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum StartError {
    /// A setting the user gave (or the default root) cannot work: exit code 2.
    Usage(String),
    /// Starting failed for another reason: exit code 1.
    Failed(String),
}

impl Demo {
    /// Indexes the root, then starts the server and the load generator.
    pub(crate) fn start(options: &Options) -> Result<Demo, StartError> {
        let root = match &options.root {
            Some(root) => root.clone(),
            None => files::default_root().map_err(StartError::Usage)?,
        };
        if !root.is_dir() {
            return Err(StartError::Usage(format!(
                "root directory {:?} does not exist or is not a directory; pass an existing directory with --root DIR",
                root.display().to_string()
            )));
        }

        let index = FileIndex::scan(&root)
            .map_err(|error| StartError::Failed(format!("cannot read the files under {}: {error}", root.display())))?;
        if index.paths.is_empty() {
            return Err(StartError::Usage(format!(
                "root directory {:?} has no file to serve (names must be URL-safe); pass another with --root DIR",
                root.display().to_string()
            )));
        }

        let workload =
            Arc::new(Workload { zipf: Zipf::new(index.paths.len(), options.zipf), paths: index.paths.clone() });
        let cache = FileCache::new(&root, options.cache_bytes);
        let site = Arc::new(Site { index, cache });

        let endpoint_addr: SocketAddr = options.addr.parse().map_err(|error| {
            StartError::Usage(format!("invalid --addr {:?}: {error}; such as --addr 127.0.0.1:9184", options.addr))
        })?;
        let endpoint = perf::serve(endpoint_addr).map_err(|error| {
            StartError::Failed(format!(
                "cannot serve the dashboard on {endpoint_addr}: {error}; pick another port with --addr 127.0.0.1:PORT"
            ))
        })?;
        let server =
            FileServer::start(&options.files_addr, options.threads, Arc::clone(&site)).map_err(StartError::Failed)?;
        let load = LoadGenerator::start(server.addr().port(), options.threads, workload)
            .map_err(|error| StartError::Failed(format!("cannot start the load generator: {error}")))?;
        Ok(Demo { site, endpoint: Some(endpoint), server, load, started: Instant::now(), root })
    }

    /// Returns the address of perf's endpoint: dashboard, `/metrics` and `/api`.
    pub(crate) fn addr(&self) -> Option<SocketAddr> {
        self.endpoint.as_ref().map(perf::http::Server::local_addr)
    }

    /// Returns the address the file server listens on.
    pub(crate) fn files_addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// Returns the time since the load started.
    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Returns the directory served.
    pub(crate) fn root(&self) -> &std::path::Path {
        &self.root
    }

    /// Returns the files indexed, and those left out.
    pub(crate) fn file_counts(&self) -> (usize, usize) {
        (self.site.index.paths.len(), self.site.index.skipped)
    }

    /// Stops the load generator, then the server, and returns how long the load ran. The
    /// cache lives on until the demo is dropped, so its entries are still in snapshots.
    pub(crate) fn stop(&mut self) -> Duration {
        let elapsed = self.started.elapsed();
        self.load.stop();
        self.server.stop();
        self.site.cache.run_pending_tasks();
        if let Some(endpoint) = self.endpoint.take() {
            endpoint.shutdown();
        }
        elapsed
    }
}

impl StartError {
    /// Returns the process exit code for this error.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            StartError::Usage(_) => 2,
            StartError::Failed(_) => 1,
        }
    }
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Usage(message) | StartError::Failed(message) => f.write_str(message),
        }
    }
}
