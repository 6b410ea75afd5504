//! The load generator: threads that each keep one HTTP/1.1 connection to the server over
//! 127.0.0.1 and request files with Zipf-skewed popularity. Every 100th request is for a
//! file that does not exist, so the error counts have something to show.
//!
//! The client is a plain `TcpStream`: a request line, a `Host` header, then the status line,
//! headers and a `Content-Length` body back, which is all the demo server sends.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::zipf::Zipf;

/// One request in this many is for a missing file.
const MISSING_EVERY: u64 = 100;
/// Pause after a failed connection, so a stopped server is not hammered.
const RETRY_PAUSE: Duration = Duration::from_millis(50);
/// Maximum wait for a response.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A request that got no file.
#[derive(Debug, perf::ErrorKind)]
pub(crate) enum FetchError {
    /// The server returned 404.
    NotFound,
    /// The server returned another status than 200.
    Status(#[allow(dead_code)] u16),
    /// The connection failed or the response was malformed.
    Io(#[allow(dead_code)] io::Error),
}

/// Running load-generator threads.
#[derive(Debug)]
pub(crate) struct LoadGenerator {
    threads: Vec<JoinHandle<()>>,
    stopping: Arc<AtomicBool>,
}

/// The popularity model shared by the threads.
#[derive(Debug)]
pub(crate) struct Workload {
    pub(crate) paths: Vec<String>,
    pub(crate) zipf: Zipf,
}

struct Connection {
    reader: BufReader<TcpStream>,
}

impl LoadGenerator {
    /// Starts `threads` clients against the server on `port` of 127.0.0.1.
    pub(crate) fn start(port: u16, threads: usize, workload: Arc<Workload>) -> io::Result<LoadGenerator> {
        let target = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let stopping = Arc::new(AtomicBool::new(false));
        let threads = (0..threads)
            .map(|index| {
                let (stopping, workload) = (Arc::clone(&stopping), Arc::clone(&workload));
                std::thread::Builder::new()
                    .name(format!("demo-load-{index}"))
                    .spawn(move || drive(target, index as u64, &workload, &stopping))
            })
            .collect::<io::Result<Vec<_>>>()?;
        Ok(LoadGenerator { threads, stopping })
    }

    /// Stops the clients after their current request and waits for them.
    pub(crate) fn stop(&mut self) {
        self.stopping.store(true, Ordering::Relaxed);
        for thread in std::mem::take(&mut self.threads) {
            if thread.join().is_err() {
                tracing::error!("a demo load thread panicked");
            }
        }
    }
}

fn drive(target: SocketAddr, seed: u64, workload: &Workload, stopping: &AtomicBool) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut connection: Option<Connection> = None;
    let mut sent = 0u64;
    while !stopping.load(Ordering::Relaxed) {
        sent += 1;
        let path = if sent.is_multiple_of(MISSING_EVERY) {
            format!("/missing/{seed}/{sent}.html")
        } else {
            format!("/{}", workload.paths[workload.zipf.sample(rng.f64())])
        };

        if let Err(FetchError::Io(error)) = fetch(&mut connection, target, &path) {
            tracing::debug!(%error, %path, "demo request failed; reconnecting");
            connection = None;
            std::thread::sleep(RETRY_PAUSE);
        }
    }
}

/// Sends one `GET` on the open connection (opening one first when needed) and reads the
/// whole response; returns the body length.
#[perf::monitored(name = "demo::fetch")]
fn fetch(connection: &mut Option<Connection>, target: SocketAddr, path: &str) -> Result<u64, FetchError> {
    if connection.is_none() {
        *connection = Some(Connection::open(target).map_err(FetchError::Io)?);
    }
    let Some(open) = connection.as_mut() else {
        unreachable!("a connection was just opened");
    };

    let (status, length) = open.get(target, path).map_err(FetchError::Io)?;
    match status {
        200 => Ok(length),
        404 => Err(FetchError::NotFound),
        other => Err(FetchError::Status(other)),
    }
}

impl Connection {
    fn open(target: SocketAddr) -> io::Result<Connection> {
        let stream = TcpStream::connect_timeout(&target, TIMEOUT)?;
        stream.set_read_timeout(Some(TIMEOUT))?;
        stream.set_nodelay(true)?;
        Ok(Connection { reader: BufReader::new(stream) })
    }

    /// Returns the status and the body length of `GET path`; the body is read and dropped.
    fn get(&mut self, target: SocketAddr, path: &str) -> io::Result<(u16, u64)> {
        write!(self.reader.get_mut(), "GET {path} HTTP/1.1\r\nHost: {target}\r\n\r\n")?;

        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| invalid(format!("malformed status line {line:?}")))?;

        let mut length = None;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(invalid("connection closed inside the headers".to_owned()));
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = Some(value.trim().parse::<u64>().map_err(|_| invalid(format!("bad length {value:?}")))?);
                }
            }
        }

        let length = length.ok_or_else(|| invalid("response without Content-Length".to_owned()))?;
        let copied = io::copy(&mut (&mut self.reader).take(length), &mut io::sink())?;
        if copied != length {
            return Err(invalid(format!("body ended after {copied} of {length} bytes")));
        }
        Ok((status, length))
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}
