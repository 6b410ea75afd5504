//! The HTTP server of the browser tests: `perf::dashboard::handle` and the routes of
//! `perf::http::Handler` (`/api/snapshot`, `/api/export`, `/api/exports`) on a free port of
//! 127.0.0.1, one thread per connection, one request per connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

use perf::dashboard::{self, Body, Request};
use perf::http::{Handler, HttpOptions};

/// Starts the server and returns its base URL, such as `http://127.0.0.1:40123`.
pub(crate) fn start() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let address = listener.local_addr().expect("local address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    format!("http://{address}")
}

fn serve(stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().expect("clone the connection"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut parts = request_line.split_whitespace();
    let (Some(method), Some(target)) = (parts.next(), parts.next()) else { return };

    let mut content_length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; content_length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }

    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut stream = stream;
    let Some(response) = dashboard::handle(&Request { method, path, query, body: &body }) else {
        let handler = Handler::new(HttpOptions::default()).expect("default HTTP options are valid");
        let response = handler.handle(&perf::http::Request::new(method, target));
        let content_type = response.header("content-type").unwrap_or("text/plain").to_owned();
        write_response(&mut stream, response.status, &content_type, &response.body);
        return;
    };
    match response.body {
        Body::Static(bytes) => write_response(&mut stream, response.status, response.content_type, bytes),
        Body::Bytes(bytes) => write_response(&mut stream, response.status, response.content_type, &bytes),
        Body::Events(events) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                response.content_type
            );
            if stream.write_all(head.as_bytes()).is_err() {
                return;
            }
            for frame in events {
                if stream.write_all(&frame).and_then(|()| stream.flush()).is_err() {
                    return;
                }
            }
        }
    }
}

fn write_response(stream: &mut TcpStream, status: u16, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        if status < 400 { "OK" } else { "Error" },
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body));
}
