//! perf's own HTTP/1.1 server: hyper 1 on a current-thread tokio runtime, on a thread of its
//! own, so it works in programs with no async runtime and never competes with the program's
//! own tasks.
//!
//! The runtime thread only moves bytes. Each response is rendered on tokio's blocking pool, so
//! concurrent scrapes render in parallel and a slow render never stalls other connections.
//! The dashboard's event stream also runs on the blocking pool, one thread per open stream,
//! and ends when its client goes away.

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::thread::JoinHandle;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited, StreamBody};
use hyper::body::Frame;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{mpsc, watch, Semaphore};

use super::{Handler, HttpOptions, Limits, Request, Response};
use crate::dashboard::EventStream;
use crate::export::ExpositionError;

/// hyper refuses read buffers below this size.
const MIN_HEADER_BUFFER: usize = 8 * 1024;

/// Time given to open connections to finish their request when the server shuts down.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Event frames buffered for a client that reads slowly; the stream waits when they are full.
const EVENT_BUFFER: usize = 64;

/// How often an event stream without frames checks that its client is still connected.
const EVENT_CHECK: Duration = Duration::from_millis(500);

type Body = BoxBody<Bytes, Infallible>;

/// A running server. Dropping it (or [`shutdown`](Self::shutdown)) stops it.
#[derive(Debug)]
pub struct Server {
    address: SocketAddr,
    stop: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

/// Error returned when the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The address cannot be bound (in use, not local, no permission).
    #[error("failed to listen on {address}: {source}; choose a free port, or port 0 for any")]
    Bind {
        /// The address.
        address: SocketAddr,
        /// The I/O error.
        source: io::Error,
    },
    /// The exposition options are invalid.
    #[error(transparent)]
    Exposition(#[from] ExpositionError),
    /// The runtime or its thread could not start.
    #[error("failed to start the HTTP server thread: {0}")]
    Start(io::Error),
}

/// Starts perf's HTTP server and returns once it listens.
///
/// ```
/// use std::net::SocketAddr;
///
/// let server = perf::serve(SocketAddr::from(([127, 0, 0, 1], 0))).unwrap();
/// assert_ne!(server.local_addr().port(), 0); // metrics at http://{address}/metrics
/// server.shutdown();
/// ```
pub fn serve(options: impl Into<HttpOptions>) -> Result<Server, ServeError> {
    Server::start(options.into())
}

impl Server {
    /// Starts the server; see [`serve`].
    pub fn start(options: HttpOptions) -> Result<Server, ServeError> {
        let handler = Arc::new(Handler::new(options.clone())?);
        let limits = options.limits.clone();

        let bind_error = |source| ServeError::Bind { address: options.address, source };
        let listener = std::net::TcpListener::bind(options.address).map_err(bind_error)?;
        listener.set_nonblocking(true).map_err(bind_error)?;
        let address = listener.local_addr().map_err(bind_error)?;

        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(ServeError::Start)?;
        let (stop, stopped) = watch::channel(false);
        let thread = std::thread::Builder::new()
            .name("perf-http".to_owned())
            .spawn(move || runtime.block_on(accept_loop(listener, handler, limits, stopped)))
            .map_err(ServeError::Start)?;

        tracing::info!(%address, "perf HTTP endpoint listening");
        Ok(Server { address, stop, thread: Some(thread) })
    }

    /// Returns the address the server listens on (with the port chosen when port 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// Stops accepting connections, lets open requests finish (5 seconds at most), and waits
    /// for the server thread to end.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() {
                tracing::error!(address = %self.address, "perf HTTP server thread panicked");
            }
            tracing::info!(address = %self.address, "perf HTTP endpoint stopped");
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

async fn accept_loop(
    listener: std::net::TcpListener,
    handler: Arc<Handler>,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, "perf HTTP endpoint failed to register its socket; it serves nothing");
            return;
        }
    };
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let mut connections = tokio::task::JoinSet::new();

    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot,
            _ = stopped.changed() => break,
        };
        let Ok(slot) = slot else { break };
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                // Out of file descriptors and similar: wait a moment instead of spinning.
                tracing::warn!(%error, "perf HTTP endpoint failed to accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let handler = Arc::clone(&handler);
        let limits = limits.clone();
        let stopped = stopped.clone();
        connections.spawn(async move {
            serve_connection(stream, peer, handler, limits, stopped).await;
            drop(slot);
        });
        while connections.try_join_next().is_some() {}
    }

    drop(listener);
    let drained =
        tokio::time::timeout(SHUTDOWN_GRACE, async { while connections.join_next().await.is_some() {} }).await;
    if drained.is_err() {
        tracing::warn!(
            open = connections.len(),
            "perf HTTP endpoint closed connections still open after the grace period"
        );
    }
}

async fn serve_connection(
    stream: tokio::net::TcpStream,
    peer: SocketAddr,
    handler: Arc<Handler>,
    limits: Limits,
    mut stopped: watch::Receiver<bool>,
) {
    let service_limits = limits.clone();
    let service = service_fn(move |request| respond(request, Arc::clone(&handler), service_limits.clone()));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(limits.max_header_bytes.max(MIN_HEADER_BUFFER))
        .max_header_size(limits.max_header_bytes);
    let connection = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(connection);

    let result = tokio::select! {
        result = connection.as_mut() => result,
        _ = stopped.changed() => {
            connection.as_mut().graceful_shutdown();
            connection.as_mut().await
        }
    };
    if let Err(error) = result {
        // Timeouts and clients that hang up are routine; they are logged at debug level.
        tracing::debug!(%peer, %error, "perf HTTP connection ended with an error");
    }
}

async fn respond(
    request: hyper::Request<Incoming>,
    handler: Arc<Handler>,
    limits: Limits,
) -> Result<hyper::Response<Body>, Infallible> {
    let deadline = tokio::time::Instant::now() + limits.request_timeout;
    let (parts, body) = request.into_parts();

    let body = Limited::new(body, usize::try_from(limits.max_body_bytes).unwrap_or(usize::MAX));
    let body = match tokio::time::timeout_at(deadline, body.collect()).await {
        Ok(Ok(collected)) => collected.to_bytes(),
        Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => {
            let message = format!("request body is over the limit of {} bytes", limits.max_body_bytes);
            return Ok(into_hyper(Response::error(413, &message)));
        }
        Ok(Err(error)) => {
            return Ok(into_hyper(Response::error(400, &format!("failed to read the request body: {error}"))))
        }
        Err(_) => {
            let message = format!("request body not received within {:?}", limits.request_timeout);
            return Ok(into_hyper(Response::error(408, &message)));
        }
    };

    let method = parts.method.as_str().to_owned();
    let target =
        parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |target| target.as_str().to_owned());
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned())))
        .collect();

    let opened = handler.events(&build_request(&method, &target, &headers, &body));
    match opened {
        Some(Ok(stream)) => return Ok(event_response(stream)),
        Some(Err(refused)) => return Ok(into_hyper(refused)),
        None => {}
    }

    let render = tokio::task::spawn_blocking(move || handler.handle(&build_request(&method, &target, &headers, &body)));
    let response = match tokio::time::timeout_at(deadline, render).await {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => {
            tracing::error!(%error, "perf HTTP handler panicked");
            Response::error(500, "the handler failed; the server log has the details")
        }
        Err(_) => {
            let message = format!(
                "response not ready within {:?}; try again, or raise the request timeout",
                limits.request_timeout
            );
            Response::error(503, &message)
        }
    };
    Ok(into_hyper(response))
}

fn build_request<'a>(method: &'a str, target: &'a str, headers: &'a [(String, String)], body: &'a [u8]) -> Request<'a> {
    let mut request = Request::new(method, target).body(body);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request
}

fn into_hyper(response: Response) -> hyper::Response<Body> {
    let mut builder = hyper::Response::builder().status(response.status);
    for (name, value) in &response.headers {
        builder = builder.header(*name, value.as_str());
    }
    builder.body(Full::new(Bytes::from(response.body)).boxed()).unwrap_or_else(|error| {
        tracing::error!(%error, "perf HTTP response could not be built");
        let mut fallback = hyper::Response::new(Full::new(Bytes::from_static(b"error: invalid response\n")).boxed());
        *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

/// Streams the dashboard's events: a blocking-pool thread reads the stream and sends each frame
/// into a channel that the response body drains. When the client goes away (or the server
/// stops), hyper drops the body and the thread ends within [`EVENT_CHECK`].
fn event_response(stream: EventStream) -> hyper::Response<Body> {
    let (sender, receiver) = mpsc::channel::<Bytes>(EVENT_BUFFER);
    let mut stream = stream;
    tokio::task::spawn_blocking(move || {
        while !sender.is_closed() {
            let Some(frame) = stream.next_frame(EVENT_CHECK) else { continue };
            if sender.blocking_send(Bytes::from(frame)).is_err() {
                break;
            }
        }
    });
    let body = StreamBody::new(Frames(receiver)).boxed();
    let mut response = hyper::Response::new(body);
    let headers = response.headers_mut();
    headers.insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static("text/event-stream"));
    headers.insert(hyper::header::CACHE_CONTROL, hyper::header::HeaderValue::from_static("no-store"));
    response
}

/// The frames of an event stream, as a body stream.
struct Frames(mpsc::Receiver<Bytes>);

impl futures_core::Stream for Frames {
    type Item = Result<Frame<Bytes>, Infallible>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|frame| frame.map(|bytes| Ok(Frame::data(bytes))))
    }
}
