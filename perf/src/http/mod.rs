//! The HTTP endpoint: `/metrics` for Prometheus, the snapshot and exports as JSON or CSV, and a
//! health check.
//!
//! Two ways to serve it:
//!
//! - [`serve`] starts perf's own server (hyper 1 on a tokio runtime of its own, on one thread
//!   named `perf-http`), bound to 127.0.0.1 unless [`HttpOptions::address`] names another address. It limits header size, body
//!   size, header read time, response time and connections ([`Limits`]).
//! - [`Handler`] answers plain [`Request`]s with plain [`Response`]s, for a program that
//!   already runs an HTTP server and mounts the routes on it (with a base path, if it likes).
//!
//! The routes are listed in the [`routes`] table: `/metrics`, `/api/snapshot`,
//! `/api/export?format=json|csv|prometheus|openmetrics`, `/api/exports`, `/healthz`. The
//! dashboard adds its page at `/`, its files under `/assets/` and its JSON and event-stream
//! routes under `/api/` ([`crate::dashboard`]). Bodies are gzip-compressed when
//! `Accept-Encoding` allows it. With a bearer token set, every route but `/healthz`, the
//! dashboard page and its files requires `Authorization: Bearer <token>`.

mod auth;
mod encoding;
mod handler;
mod limits;
pub mod routes;
#[cfg(feature = "server")]
mod server;

use std::net::{Ipv4Addr, SocketAddr};

use serde::{Deserialize, Serialize};

pub use handler::{Handler, Request, Response};
pub use limits::Limits;
#[cfg(feature = "server")]
pub use server::{serve, ServeError, Server};

use crate::export::ExpositionOptions;

/// Settings of the HTTP endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpOptions {
    /// Address to listen on; `127.0.0.1:9898` by default, reachable from this machine only.
    /// Port 0 picks a free port ([`Server::local_addr`] returns it).
    pub address: SocketAddr,
    /// When set, every route but `/healthz` requires `Authorization: Bearer <token>`.
    pub bearer_token: Option<String>,
    /// Path the routes are mounted under, such as `/perf`; empty for the root.
    pub base_path: String,
    /// Limits on requests.
    pub limits: Limits,
    /// Settings of the Prometheus and OpenMetrics output.
    pub exposition: ExpositionOptions,
}

impl Default for HttpOptions {
    fn default() -> Self {
        HttpOptions {
            address: SocketAddr::from((Ipv4Addr::LOCALHOST, 9898)),
            bearer_token: None,
            base_path: String::new(),
            limits: Limits::default(),
            exposition: ExpositionOptions::default(),
        }
    }
}

impl From<SocketAddr> for HttpOptions {
    fn from(address: SocketAddr) -> Self {
        HttpOptions { address, ..HttpOptions::default() }
    }
}
