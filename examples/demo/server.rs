//! The HTTP server: `tiny_http` accepts connections, and a pool of worker threads serves
//! `GET /<path>` from the file cache. Each request is one call of the monitored `handle`.

use std::io::Cursor;
use std::net::{SocketAddr, TcpListener};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::files::{FileCache, FileIndex};

/// How often an idle worker checks whether the server is stopping.
const POLL: Duration = Duration::from_millis(100);

/// The reason a request got no file.
#[derive(Debug, perf::ErrorKind)]
pub(crate) enum ServeError {
    /// The path is not an indexed file (404).
    NotFound,
    /// The method is not `GET` or `HEAD` (405).
    MethodNotAllowed,
    /// Reading the file or writing the response failed.
    Io(#[allow(dead_code)] std::io::Error),
}

/// A running server and its worker threads.
pub(crate) struct FileServer {
    server: Arc<tiny_http::Server>,
    workers: Vec<JoinHandle<()>>,
    stopping: Arc<AtomicBool>,
    addr: SocketAddr,
}

/// The state the workers share: the file index and the cache.
#[derive(Debug)]
pub(crate) struct Site {
    pub(crate) index: FileIndex,
    pub(crate) cache: FileCache,
}

impl FileServer {
    /// Listens on `addr` and starts `workers` threads that serve files from `site`.
    pub(crate) fn start(addr: &str, workers: usize, site: Arc<Site>) -> Result<FileServer, String> {
        let listener = TcpListener::bind(addr).map_err(|error| {
            format!("cannot listen on {addr}: {error}; pick another port with --addr 127.0.0.1:PORT")
        })?;
        // Accepted connections inherit TCP_NODELAY (on Linux and the BSDs). Without it, the
        // last small segment of each response waits for the client's delayed ACK, about 40 ms.
        if let Err(error) = socket2::SockRef::from(&listener).set_tcp_nodelay(true) {
            tracing::warn!(%error, "cannot set TCP_NODELAY; responses may wait for delayed ACKs");
        }
        let server = tiny_http::Server::from_listener(listener, None)
            .map_err(|error| format!("cannot serve HTTP on {addr}: {error}"))?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| format!("the server on {addr} has no IP address; pass an IP address to --addr"))?;
        let server = Arc::new(server);
        let stopping = Arc::new(AtomicBool::new(false));

        let workers = (0..workers)
            .map(|index| {
                let (server, stopping, site) = (Arc::clone(&server), Arc::clone(&stopping), Arc::clone(&site));
                std::thread::Builder::new()
                    .name(format!("demo-server-{index}"))
                    .spawn(move || work(&server, &stopping, &site))
                    .map_err(|error| format!("cannot start a server thread: {error}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        tracing::info!(%addr, "demo server listening");
        Ok(FileServer { server, workers, stopping, addr })
    }

    /// Returns the address the server listens on.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops serving requests and waits for the workers to finish their current one.
    pub(crate) fn stop(&mut self) {
        self.stopping.store(true, Ordering::Relaxed);
        for _ in &self.workers {
            self.server.unblock();
        }
        for worker in std::mem::take(&mut self.workers) {
            if worker.join().is_err() {
                tracing::error!("a demo server thread panicked");
            }
        }
    }
}

impl std::fmt::Debug for FileServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileServer").field("addr", &self.addr).field("workers", &self.workers.len()).finish()
    }
}

fn work(server: &tiny_http::Server, stopping: &AtomicBool, site: &Site) {
    while !stopping.load(Ordering::Relaxed) {
        match server.recv_timeout(POLL) {
            Ok(Some(request)) => {
                if let Err(error) = handle(site, request) {
                    tracing::debug!(?error, "demo request failed");
                }
            }
            Ok(None) => {}
            Err(error) => {
                tracing::warn!(%error, "demo server failed to receive a request");
            }
        }
    }
}

/// Serves one request and returns the bytes of body sent.
#[perf::monitored(name = "demo::handle")]
fn handle(site: &Site, request: Request) -> Result<u64, ServeError> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        respond_error(request, 405, "only GET and HEAD are served\n")?;
        return Err(ServeError::MethodNotAllowed);
    }

    let path = request.url().split(['?', '#']).next().unwrap_or_default().trim_start_matches('/').to_owned();
    if !site.index.contains(&path) {
        respond_error(request, 404, "no such file\n")?;
        return Err(ServeError::NotFound);
    }

    let sends_body = *request.method() == Method::Get;
    let body = match site.cache.read(&path) {
        Ok(body) => body,
        Err(error) => {
            tracing::warn!(%error, %path, "demo failed to read a file");
            respond_error(request, 500, "cannot read the file\n")?;
            return Err(ServeError::Io(error));
        }
    };
    let length = body.len();
    let response = Response::new(StatusCode(200), vec![content_type(&path)], Cursor::new(body), Some(length), None)
        // Always send Content-Length, so a client reads each body without chunked decoding.
        .with_chunked_threshold(usize::MAX);
    request.respond(response).map_err(ServeError::Io)?;

    let sent = if sends_body { length as u64 } else { 0 };
    perf::counter!("demo_bytes_served").add(sent);
    Ok(sent)
}

fn respond_error(request: Request, status: u16, message: &str) -> Result<(), ServeError> {
    let response = Response::from_string(message).with_status_code(status).with_chunked_threshold(usize::MAX);
    request.respond(response).map_err(ServeError::Io)
}

fn content_type(path: &str) -> Header {
    let extension = path.rsplit_once('.').map_or("", |(_, extension)| extension);
    let mime = match extension {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "txt" | "md" | "rs" | "toml" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    Header::from_bytes("Content-Type", mime).expect("a static ASCII header is valid")
}
