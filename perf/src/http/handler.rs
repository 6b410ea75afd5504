//! The framework-agnostic handler: plain request data in, status, headers and body out, so a
//! program with its own HTTP server (axum, actix-web, hyper, tiny_http, ...) mounts perf's
//! routes on its own address.

use super::{auth, encoding, routes, HttpOptions};
use crate::dashboard::{self, EventStream};
use crate::export::{Exposition, ExpositionError};

/// A request, borrowed from whatever server received it.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    headers: Vec<(&'a str, &'a str)>,
    body_length: u64,
    body: &'a [u8],
}

/// A response to send back: status, headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Headers, names in lower case.
    pub headers: Vec<(&'static str, String)>,
    /// Body, already gzip-compressed when `content-encoding` is `gzip`. Empty for `HEAD`.
    pub body: Vec<u8>,
}

/// Serves perf's routes: `/metrics`, `/api/snapshot`, `/api/export`, `/api/exports`,
/// `/healthz` and the dashboard's ([`crate::dashboard`]), under an optional base path.
///
/// ```
/// use perf::http::{Handler, HttpOptions, Request};
///
/// let handler = Handler::new(HttpOptions::default()).unwrap();
/// let response = handler.handle(&Request::new("GET", "/api/export?format=csv").header("Accept-Encoding", "identity"));
/// assert_eq!(response.status, 200);
/// assert_eq!(response.header("content-type"), Some("text/csv; charset=utf-8; header=present"));
/// ```
#[derive(Debug)]
pub struct Handler {
    exposition: Exposition,
    bearer_token: Option<String>,
    base_path: String,
    max_body_bytes: u64,
}

impl<'a> Request<'a> {
    /// Creates a request from its method and its target (the path, with the query string
    /// after `?` when there is one).
    pub fn new(method: &'a str, target: &'a str) -> Self {
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (target, None),
        };
        Request { method, path, query, headers: Vec::new(), body_length: 0, body: &[] }
    }

    /// Adds a header.
    pub fn header(mut self, name: &'a str, value: &'a str) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Sets the length of the request body, checked against the body size limit.
    pub fn body_length(mut self, bytes: u64) -> Self {
        self.body_length = bytes;
        self
    }

    /// Sets the request body (the dashboard's settings and actions are JSON posts), and its
    /// length.
    pub fn body(mut self, body: &'a [u8]) -> Self {
        self.body = body;
        self.body_length = body.len() as u64;
        self
    }

    /// Returns the method.
    pub fn method(&self) -> &str {
        self.method
    }

    /// Returns the path, without the query string.
    pub fn path(&self) -> &str {
        self.path
    }

    /// Returns the query string, without the `?`.
    pub fn query(&self) -> Option<&str> {
        self.query
    }

    /// Returns the first value of a header, matching its name without regard to case.
    pub fn header_value(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(header, _)| header.eq_ignore_ascii_case(name)).map(|(_, value)| *value)
    }
}

impl Response {
    /// Creates a response with a body of the given content type.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Response { status, headers: vec![("content-type", content_type.to_owned())], body }
    }

    /// Creates a plain text error response: `error: <message>`.
    pub(crate) fn error(status: u16, message: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", format!("error: {message}\n").into_bytes())
    }

    /// Returns the first value of a header, matching its name without regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(header, _)| header.eq_ignore_ascii_case(name)).map(|(_, value)| value.as_str())
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

impl Handler {
    /// Creates a handler; fails when the exposition options are invalid.
    pub fn new(options: HttpOptions) -> Result<Self, ExpositionError> {
        let base_path = options.base_path.trim_end_matches('/').to_owned();
        Ok(Handler {
            exposition: Exposition::new(options.exposition)?,
            bearer_token: options.bearer_token.filter(|token| !token.is_empty()),
            base_path,
            max_body_bytes: options.limits.max_body_bytes,
        })
    }

    /// Handles one request and returns its response.
    pub fn handle(&self, request: &Request<'_>) -> Response {
        let route = match self.checked_route(request) {
            Ok(route) => route,
            Err(response) => return response,
        };

        let page_request = dashboard::Request {
            method: request.method,
            path: route,
            query: request.query.unwrap_or(""),
            body: request.body,
        };
        let mut response = match dashboard::handle(&page_request) {
            Some(page) => from_dashboard(page),
            None => routes::dispatch(&self.exposition, route, request),
        };
        if response.status == 200 && encoding::accepts_gzip(request.header_value("accept-encoding")) {
            if let Some(compressed) = encoding::gzip(&response.body) {
                response.body = compressed;
                response.headers.push(("content-encoding", "gzip".to_owned()));
            }
        }
        if response.status == 200 {
            response.headers.push(("vary", "Accept, Accept-Encoding".to_owned()));
        }
        if request.method.eq_ignore_ascii_case("HEAD") {
            response.body.clear();
        }
        response
    }

    /// Opens the dashboard's server-sent event stream when `request` asks for it (after the
    /// base path and the bearer token are checked), for servers that can stream a body:
    /// `None` for other requests, `Err` with the response to send when it is refused.
    pub fn events(&self, request: &Request<'_>) -> Option<Result<EventStream, Response>> {
        let route = self.route_path(request.path)?;
        if route != dashboard::EVENTS_PATH || !request.method.eq_ignore_ascii_case("GET") {
            return None;
        }
        Some(self.checked_route(request).map(|_| EventStream::new()))
    }

    /// Checks the base path, the body size and the bearer token; returns the route.
    fn checked_route<'p>(&self, request: &Request<'p>) -> Result<&'p str, Response> {
        let Some(route) = self.route_path(request.path) else {
            return Err(routes::not_found(request.path));
        };
        if !self.base_path.is_empty() && request.path == self.base_path {
            // The page loads its files by relative paths, which need the trailing slash.
            return Err(Response::new(308, "text/plain; charset=utf-8", Vec::new())
                .with_header("location", format!("{}/", self.base_path)));
        }
        if request.body_length > self.max_body_bytes {
            let message = format!(
                "request body of {} bytes is over the limit of {} bytes",
                request.body_length, self.max_body_bytes
            );
            return Err(Response::error(413, &message));
        }
        if let Some(token) = &self.bearer_token {
            let public = route == routes::HEALTH || dashboard::is_public(route);
            if !public && !auth::is_authorized(request.header_value("authorization"), token) {
                return Err(Response::error(401, "missing or wrong bearer token; send Authorization: Bearer <token>")
                    .with_header("www-authenticate", "Bearer realm=\"perf\""));
            }
        }
        Ok(route)
    }

    /// Returns the exposition the handler renders with.
    pub fn exposition(&self) -> &Exposition {
        &self.exposition
    }

    /// Strips the base path; `None` for a path outside it.
    fn route_path<'p>(&self, path: &'p str) -> Option<&'p str> {
        if self.base_path.is_empty() {
            return Some(path);
        }
        match path.strip_prefix(self.base_path.as_str())? {
            "" => Some("/"),
            rest if rest.starts_with('/') => Some(rest),
            _ => None,
        }
    }
}

/// Converts a dashboard response. An event stream cannot be a plain body: servers that stream
/// get it from [`Handler::events`] first.
fn from_dashboard(page: dashboard::Response) -> Response {
    let body = match page.body {
        dashboard::Body::Static(bytes) => bytes.to_vec(),
        dashboard::Body::Bytes(bytes) => bytes,
        dashboard::Body::Events(_) => {
            return Response::error(
                501,
                "this server cannot stream server-sent events; it should call Handler::events first",
            )
        }
    };
    Response::new(page.status, page.content_type, body).with_header("cache-control", page.cache_control)
}
