//! Shared by the export and Prometheus tests: a process state with every kind of family, and
//! the real `promtool` and `prometheus` binaries (Debian's `prometheus` package).
//!
//! A test that needs a binary fails, naming the package to install, when the binary is not on
//! `PATH`: CI installs it, and a silent skip would hide a broken setup.

#![allow(dead_code)]

pub(crate) mod fixture;
pub(crate) mod server;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Returns the path of a binary on `PATH`, or fails the test with the install command.
pub(crate) fn binary(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).map(|folder| folder.join(name)).find(|candidate| candidate.is_file()).unwrap_or_else(|| {
        panic!("{name} is not on PATH; install it with `apt-get install -y prometheus` (Debian's package provides prometheus and promtool)")
    })
}

/// Runs `promtool` with `args`, `stdin` on its standard input, and returns its output.
pub(crate) fn promtool(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(binary("promtool"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool starts");
    child.stdin.take().expect("stdin is piped").write_all(stdin).expect("promtool reads its input");
    child.wait_with_output().expect("promtool ends")
}

/// Returns a TCP port on 127.0.0.1 that was free a moment ago.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0").local_addr().expect("local address").port()
}

/// Calls `probe` until it returns `Some`, every 100 ms, failing after `timeout`.
pub(crate) fn wait_for<T>(what: &str, timeout: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out after {timeout:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// An HTTP client for 127.0.0.1 that returns error statuses as responses.
pub(crate) fn http_client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}
