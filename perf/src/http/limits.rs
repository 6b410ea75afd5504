//! Limits on requests, so that a slow, large or abusive client cannot tie up the endpoint.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Limits of the HTTP endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Limits {
    /// Largest request line plus headers, in bytes; larger requests get 431. The server never
    /// accepts less than 8 KiB, hyper's minimum buffer.
    pub max_header_bytes: usize,
    /// Largest request body, in bytes; larger bodies get 413. The routes take no body.
    pub max_body_bytes: u64,
    /// Time a client has to send the request headers, also the longest a kept-alive
    /// connection may stay idle; the connection is closed after it.
    pub header_read_timeout: Duration,
    /// Time to read the body and produce the response; slower requests get 503.
    pub request_timeout: Duration,
    /// Connections served at once; further clients wait in the listen backlog.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_header_bytes: 16 * 1024,
            max_body_bytes: 64 * 1024,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 64,
        }
    }
}
