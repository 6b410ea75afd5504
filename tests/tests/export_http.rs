//! perf's HTTP endpoint over real sockets on 127.0.0.1: routes, content negotiation, gzip,
//! the bearer token, request limits, and concurrent scrapes.

mod prometheus;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use flate2::read::GzDecoder;
use perf::http::{HttpOptions, Limits, Server};
use prometheus::{fixture, http_client};

fn start(options: HttpOptions) -> Server {
    fixture::install();
    let options = HttpOptions { address: SocketAddr::from(([127, 0, 0, 1], 0)), ..options };
    Server::start(options).expect("the server starts")
}

fn get(server: &Server, target: &str, headers: &[(&str, &str)]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut request = http_client().get(format!("http://{}{target}", server.local_addr()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.call().expect("the request completes");
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    let body = response.body_mut().read_to_vec().expect("read the body");
    (response.status().as_u16(), headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(header, _)| header.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
}

/// Sends raw bytes and returns everything the server sends back before it closes.
fn raw_exchange(server: &Server, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(server.local_addr()).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(request).expect("send");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn default_address_is_loopback() {
    assert!(HttpOptions::default().address.ip().is_loopback());
}

#[test]
fn metrics_negotiates_by_accept() {
    let server = start(HttpOptions::default());
    let (status, headers, body) =
        get(&server, "/metrics", &[("Accept", "application/openmetrics-text; version=1.0.0")]);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("application/openmetrics-text; version=1.0.0; charset=utf-8"));
    assert!(body.ends_with(b"# EOF\n"));

    let (_, headers, body) = get(&server, "/metrics", &[("Accept", "text/plain")]);
    assert_eq!(header(&headers, "content-type"), Some("text/plain; version=0.0.4; charset=utf-8"));
    assert!(!body.ends_with(b"# EOF\n"));
}

#[test]
fn export_formats_have_their_content_types() {
    let server = start(HttpOptions::default());
    let cases = [
        ("json", "application/json"),
        ("csv", "text/csv; charset=utf-8; header=present"),
        ("prometheus", "text/plain; version=0.0.4; charset=utf-8"),
        ("openmetrics", "application/openmetrics-text; version=1.0.0; charset=utf-8"),
    ];
    for (format, content_type) in cases {
        let (status, headers, body) = get(&server, &format!("/api/export?format={format}"), &[]);
        assert_eq!(status, 200, "{format}");
        assert_eq!(header(&headers, "content-type"), Some(content_type), "{format}");
        assert!(!body.is_empty(), "{format}");
    }
}

#[test]
fn snapshot_is_lossless_json() {
    let server = start(HttpOptions::default());
    let (status, _, body) = get(&server, "/api/snapshot", &[]);
    assert_eq!(status, 200);
    let snapshot = perf::export::from_json(&body).expect("the body is a perf JSON export");
    let site = fixture::checkout_site(&snapshot);
    assert_eq!(site.latency_histogram.as_ref().map(perf::Buckets::count), Some(u64::from(fixture::CHECKOUT_CALLS)));
}

#[test]
fn gzip_when_accepted() {
    let server = start(HttpOptions::default());
    let (status, headers, body) = get(&server, "/api/export?format=prometheus", &[("Accept-Encoding", "gzip")]);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-encoding"), Some("gzip"));

    let mut text = String::new();
    GzDecoder::new(body.as_slice()).read_to_string(&mut text).expect("the body is gzip");
    assert!(text.contains("perf_build_info{"), "{text}");

    let (_, headers, _) = get(&server, "/api/export?format=prometheus", &[]);
    assert_eq!(header(&headers, "content-encoding"), None);
}

#[test]
fn bad_requests_get_clear_errors() {
    let server = start(HttpOptions::default());

    let (status, _, body) = get(&server, "/nowhere", &[]);
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).starts_with("error: no route for /nowhere; the routes are"));

    let (status, _, body) = get(&server, "/api/export?format=xml", &[]);
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&body).contains("unknown export format \"xml\""));

    let response = raw_exchange(&server, b"DELETE /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assert!(response.starts_with("HTTP/1.1 405"), "{response}");
    assert!(response.to_ascii_lowercase().contains("allow: get, head"), "{response}");
}

#[test]
fn bearer_token_is_required() {
    let server = start(HttpOptions { bearer_token: Some("t0ken".into()), ..HttpOptions::default() });
    let (status, headers, _) = get(&server, "/metrics", &[]);
    assert_eq!(status, 401);
    assert_eq!(header(&headers, "www-authenticate"), Some("Bearer realm=\"perf\""));

    assert_eq!(get(&server, "/metrics", &[("Authorization", "Bearer wrong")]).0, 401);
    assert_eq!(get(&server, "/metrics", &[("Authorization", "Bearer t0ken")]).0, 200);
    assert_eq!(get(&server, "/healthz", &[]).0, 200);
}

#[test]
fn body_over_limit_is_413() {
    let limits = Limits { max_body_bytes: 1024, ..Limits::default() };
    let server = start(HttpOptions { limits, ..HttpOptions::default() });
    let body = vec![b'x'; 4096];
    let mut request = format!(
        "POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let response = raw_exchange(&server, &request);
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("over the limit of 1024 bytes"), "{response}");
}

#[test]
fn headers_over_limit_are_431() {
    let server = start(HttpOptions::default());
    let padding = "a".repeat(32 * 1024);
    let request =
        format!("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: {padding}\r\nConnection: close\r\n\r\n");
    let response = raw_exchange(&server, request.as_bytes());
    assert!(response.starts_with("HTTP/1.1 431"), "{}", &response[..response.len().min(200)]);
}

#[test]
fn slow_client_is_disconnected() {
    let limits = Limits { header_read_timeout: Duration::from_millis(300), ..Limits::default() };
    let server = start(HttpOptions { limits, ..HttpOptions::default() });
    let mut stream = TcpStream::connect(server.local_addr()).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    stream.write_all(b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n").expect("send half the headers");

    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(250), "closed after {waited:?}, before the timeout");
    assert!(waited < Duration::from_secs(4), "still open after {waited:?}");
}

#[test]
fn concurrent_scrapes_all_succeed() {
    let server = start(HttpOptions::default());
    let address = server.local_addr();
    let threads: Vec<_> = (0..8)
        .map(|_| {
            std::thread::spawn(move || {
                let agent = http_client();
                let mut sizes = Vec::new();
                for _ in 0..25 {
                    let mut response = agent.get(format!("http://{address}/metrics")).call().expect("scrape");
                    assert_eq!(response.status(), 200);
                    let body = response.body_mut().read_to_string().expect("read");
                    assert!(body.contains("perf_build_info{"));
                    sizes.push(body.len());
                }
                sizes.len()
            })
        })
        .collect();
    let completed: usize = threads.into_iter().map(|thread| thread.join().expect("no scrape thread panics")).sum();
    assert_eq!(completed, 200);
}

#[test]
fn shutdown_closes_the_port() {
    let server = start(HttpOptions::default());
    let address = server.local_addr();
    assert_eq!(get(&server, "/healthz", &[]).0, 200);
    server.shutdown();
    assert!(TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_err());
}
