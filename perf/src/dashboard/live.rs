//! `GET /api/events`: the live stream of the dashboard, as server-sent events.
//!
//! Each frame is one event in the `text/event-stream` format: `id`, `event` (the type) and
//! `data` (JSON) lines and a blank line. The types are `hello` when the stream opens, `tick`
//! after each collector tick and `toggle` when monitoring of a site is turned on or off. Every
//! event of the event system except slow calls goes out under its kind (`alert_state_changed`,
//! `config_reloaded`, `cache_health_changed`, ...) with the [`Event`] as data. A comment line
//! goes out after 15 seconds without other frames, so that proxies keep the connection open.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::collector;
use crate::event::{self, Event, EventFilter, EventKind, Subscription};
use crate::registry;

/// How often the stream looks for new events.
const POLL: Duration = Duration::from_millis(100);
/// Maximum time without a frame before a keep-alive comment.
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Reconnection delay suggested to the client, in milliseconds.
const RETRY_MS: u64 = 2000;
/// Events kept for a client that reads slower than they come; older ones are dropped.
const QUEUE_CAPACITY: usize = 1024;
/// The kinds of events the dashboard shows. Slow calls are left out: there can be thousands
/// per second, and the Metrics view shows latency already.
const KINDS: [EventKind; 8] = [
    EventKind::AlertStateChanged,
    EventKind::ThresholdBreached,
    EventKind::SiteRegistered,
    EventKind::ComponentRegistered,
    EventKind::ConfigReloaded,
    EventKind::ExportFinished,
    EventKind::CacheHealthChanged,
    EventKind::NotificationFailed,
];

/// The frames of one client's event stream.
///
/// [`next_frame`](Self::next_frame) waits a bounded time for the next frame; as an endless
/// [`Iterator`], `next` waits as long as it takes. The stream never ends by itself: the server
/// drops it when the client disconnects. Read it on a thread that may block, such as
/// `tokio::task::spawn_blocking`.
pub struct EventStream {
    next_id: u64,
    opened: bool,
    last_frame: Instant,
    ticks: u64,
    enabled: Vec<bool>,
    events: Subscription,
}

#[derive(Serialize)]
struct Hello {
    now_ms: u64,
    interval_ms: u64,
    running: bool,
}

#[derive(Serialize)]
struct Tick {
    ticks: u64,
    now_ms: u64,
}

#[derive(Serialize)]
struct Toggle<'a> {
    site: &'a str,
    enabled: bool,
}

impl EventStream {
    /// Opens a stream that starts with the current state.
    pub fn new() -> EventStream {
        EventStream {
            next_id: 1,
            opened: false,
            last_frame: Instant::now(),
            ticks: 0,
            enabled: enabled_flags(),
            events: event::subscribe(EventFilter::new().kinds(KINDS), QUEUE_CAPACITY),
        }
    }

    fn frame<T: Serialize>(&mut self, kind: &str, data: &T) -> Vec<u8> {
        let json = serde_json::to_string(data).unwrap_or_else(|_| "null".to_owned());
        let id = self.next_id;
        self.next_id += 1;
        self.last_frame = Instant::now();
        format!("id: {id}\nevent: {kind}\ndata: {json}\n\n").into_bytes()
    }

    fn event_frame(&mut self, event: &Event) -> Vec<u8> {
        let kind = serde_json::to_value(event.kind()).ok();
        let kind = kind.as_ref().and_then(|kind| kind.as_str()).unwrap_or("event").to_owned();
        self.frame(&kind, event)
    }

    /// Returns the next frame if there is one now.
    fn poll(&mut self) -> Option<Vec<u8>> {
        if !self.opened {
            self.opened = true;
            let status = collector::state().status();
            self.ticks = status.ticks;
            let hello =
                Hello { now_ms: collector::unix_ms(), interval_ms: status.interval_ms, running: status.running };
            let mut frame = format!("retry: {RETRY_MS}\n").into_bytes();
            frame.extend(self.frame("hello", &hello));
            return Some(frame);
        }

        if let Some(event) = self.events.try_recv() {
            return Some(self.event_frame(&event));
        }

        let current = enabled_flags();
        if let Some(index) = current.iter().zip(&self.enabled).position(|(now, before)| now != before) {
            self.enabled[index] = current[index];
            let site = registry::all_sites()[index].info().name;
            return Some(self.frame("toggle", &Toggle { site, enabled: current[index] }));
        }

        let ticks = collector::state().status().ticks;
        if ticks != self.ticks {
            self.ticks = ticks;
            return Some(self.frame("tick", &Tick { ticks, now_ms: collector::unix_ms() }));
        }

        if self.last_frame.elapsed() >= KEEP_ALIVE {
            self.last_frame = Instant::now();
            return Some(b": keep-alive\n\n".to_vec());
        }
        None
    }
}

impl EventStream {
    /// Waits up to `wait` for the next frame. A server calls this in a loop, checking between
    /// calls whether its client is still there.
    pub fn next_frame(&mut self, wait: Duration) -> Option<Vec<u8>> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(frame) = self.poll() {
                return Some(frame);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            if let Some(event) = self.events.recv_timeout(left.min(POLL)) {
                return Some(self.event_frame(&event));
            }
        }
    }
}

impl Iterator for EventStream {
    type Item = Vec<u8>;

    /// Waits for the next frame, as long as it takes.
    fn next(&mut self) -> Option<Vec<u8>> {
        loop {
            if let Some(frame) = self.next_frame(KEEP_ALIVE) {
                return Some(frame);
            }
        }
    }
}

impl Default for EventStream {
    fn default() -> Self {
        EventStream::new()
    }
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").field("next_id", &self.next_id).finish_non_exhaustive()
    }
}

fn enabled_flags() -> Vec<bool> {
    registry::all_sites().iter().map(|site| site.is_enabled()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_opens_with_hello() {
        let mut stream = EventStream::new();
        let frame = String::from_utf8(stream.next().unwrap()).unwrap();
        assert!(frame.starts_with("retry: 2000\nid: 1\nevent: hello\ndata: {"), "{frame}");
        assert!(frame.ends_with("}\n\n"), "{frame}");
    }
}
