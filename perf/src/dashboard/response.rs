//! The request and response types of the dashboard routes, independent of any HTTP server.

use std::fmt;

use serde::Serialize;

use super::live::EventStream;

/// A request to one of the dashboard routes, as the HTTP server received it.
///
/// The server checks the bearer token before it calls [`handle`](super::handle): the
/// dashboard trusts every request it is given.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// HTTP method, upper case (`GET`, `POST`).
    pub method: &'a str,
    /// Path without the query string, starting with `/`, relative to where the dashboard is
    /// mounted.
    pub path: &'a str,
    /// Query string without the leading `?`, still percent-encoded; empty when absent.
    pub query: &'a str,
    /// Request body.
    pub body: &'a [u8],
}

/// The response to a dashboard request.
#[derive(Debug)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Value of the `Content-Type` header.
    pub content_type: &'static str,
    /// Value of the `Cache-Control` header.
    pub cache_control: &'static str,
    /// Response body.
    pub body: Body,
}

/// The body of a [`Response`].
pub enum Body {
    /// An embedded file.
    Static(&'static [u8]),
    /// A body built for this request.
    Bytes(Vec<u8>),
    /// A server-sent event stream: the server writes each frame as it is returned, and ends
    /// the response when the iterator ends or the client goes away.
    Events(EventStream),
}

pub(crate) const JSON: &str = "application/json";
pub(crate) const NO_STORE: &str = "no-store";

impl Response {
    /// Creates a JSON response.
    pub(crate) fn json<T: Serialize>(status: u16, value: &T) -> Response {
        let body = serde_json::to_vec(value).unwrap_or_else(|error| {
            tracing::error!(%error, "perf dashboard: response failed to serialize");
            br#"{"error":"the response failed to serialize"}"#.to_vec()
        });
        Response { status, content_type: JSON, cache_control: NO_STORE, body: Body::Bytes(body) }
    }

    /// Creates a JSON error response `{"error": message}`.
    pub(crate) fn error(status: u16, message: impl Into<String>) -> Response {
        #[derive(Serialize)]
        struct ErrorBody {
            error: String,
        }
        Response::json(status, &ErrorBody { error: message.into() })
    }

    /// Returns the body bytes, or `None` for an event stream.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.body {
            Body::Static(bytes) => Some(bytes),
            Body::Bytes(bytes) => Some(bytes),
            Body::Events(_) => None,
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Body::Static(bytes) => write!(f, "Static({} bytes)", bytes.len()),
            Body::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            Body::Events(_) => f.write_str("Events"),
        }
    }
}
