//! The dashboard: a single-page application embedded in the binary, and the JSON routes it
//! reads besides `/api/snapshot`, `/api/export` and `/api/exports`.
//!
//! [`handle`] serves every dashboard route as a plain [`Response`], so any HTTP server can
//! mount it; perf's own endpoint does. The pages are vanilla JavaScript modules with charts
//! drawn in SVG by the dashboard's own code, so they work offline and load nothing from
//! another host.
//!
//! | route | what it returns |
//! |---|---|
//! | `GET /`, `GET /assets/...` | the page, its scripts, stylesheet and icon |
//! | `GET /api/series` | time series per site over a window (`window_ms`, `site`, `tier`) |
//! | `GET /api/events` | server-sent events: collector ticks, toggles |
//! | `GET /api/components` | components with their sites and collectors |
//! | `GET /api/caches` | one entry per cache collector |
//! | `POST /api/toggle` | turns monitoring of a site, component or collector on or off |
//! | `GET /api/alerts` | alerts, their history, receivers and silences |
//! | `POST /api/alerts/ack`, `POST /api/alerts/silence` | acknowledges or silences an alert |
//! | `GET /api/settings` | configuration file, profiles, thresholds, monitoring toggles |
//! | `POST /api/settings/threshold`, `POST /api/settings/profile` | changes a threshold or the profile |

mod alerts;
mod assets;
mod caches;
mod components;
mod live;
mod query;
mod response;
mod series;
mod settings;
mod toggle;

use serde::Serialize;

pub use caches::{CacheView, CACHE_KIND};
pub use components::{ComponentCollector, ComponentSite, ComponentView};
pub use live::EventStream;
pub use response::{Body, Request, Response};

pub(crate) use series::tier_for_window;

use response::NO_STORE;

/// Serves one dashboard request, or returns `None` when `request.path` is not a dashboard
/// route, so the caller can try its own routes or return 404.
///
/// The caller checks the bearer token first: every route here trusts its request. A known
/// path with another method gets 405.
///
/// ```
/// use perf::dashboard::{handle, Request};
///
/// let page = handle(&Request { method: "GET", path: "/", query: "", body: b"" }).unwrap();
/// assert_eq!(page.status, 200);
/// assert!(page.content_type.starts_with("text/html"));
/// assert!(handle(&Request { method: "GET", path: "/metrics", query: "", body: b"" }).is_none());
/// ```
pub fn handle(request: &Request<'_>) -> Option<Response> {
    if let Some((content_type, body)) = assets::find(request.path) {
        if request.method != "GET" && request.method != "HEAD" {
            return Some(method_not_allowed(request, "GET"));
        }
        let cache_control = if request.path.starts_with("/assets/") { "no-cache" } else { NO_STORE };
        return Some(Response { status: 200, content_type, cache_control, body: Body::Static(body) });
    }

    let (method, route) = ROUTES.iter().find(|(_, path)| *path == request.path)?;
    if request.method != *method {
        return Some(method_not_allowed(request, method));
    }
    Some(match *route {
        "/api/series" => series::respond(request.query),
        EVENTS_PATH => Response {
            status: 200,
            content_type: "text/event-stream",
            cache_control: NO_STORE,
            body: Body::Events(EventStream::new()),
        },
        "/api/components" => {
            Response::json(200, &components::ComponentsReply { components: ComponentView::all(&crate::snapshot()) })
        }
        "/api/caches" => Response::json(200, &CachesReply { caches: CacheView::all(&crate::snapshot()) }),
        "/api/toggle" => toggle::respond(request.body),
        "/api/alerts" => alerts::list(),
        "/api/alerts/ack" => alerts::acknowledge(request.body),
        "/api/alerts/silence" => alerts::silence(request.body),
        "/api/settings" => settings::show(),
        "/api/settings/threshold" => settings::set_threshold(request.body),
        "/api/settings/profile" => settings::set_profile(request.body),
        other => unreachable!("route {other} is listed but not served"),
    })
}

/// Path of the server-sent event stream, whose response body is [`Body::Events`].
pub const EVENTS_PATH: &str = "/api/events";

/// Returns `true` for the page and its files: they hold no data, so a server serves them
/// without the bearer token (a browser sends no `Authorization` header when it opens a page).
pub fn is_public(path: &str) -> bool {
    assets::find(path).is_some()
}

/// Lists the paths that [`handle`] serves, for a router that registers routes one by one.
pub fn routes() -> impl Iterator<Item = (&'static str, &'static str)> {
    let files = assets::paths().map(|path| ("GET", path));
    files.chain(ROUTES.iter().copied())
}

const ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/series"),
    ("GET", EVENTS_PATH),
    ("GET", "/api/components"),
    ("GET", "/api/caches"),
    ("POST", "/api/toggle"),
    ("GET", "/api/alerts"),
    ("POST", "/api/alerts/ack"),
    ("POST", "/api/alerts/silence"),
    ("GET", "/api/settings"),
    ("POST", "/api/settings/threshold"),
    ("POST", "/api/settings/profile"),
];

#[derive(Serialize)]
struct CachesReply {
    caches: Vec<CacheView>,
}

fn method_not_allowed(request: &Request<'_>, allowed: &str) -> Response {
    Response::error(405, format!("{} {} is not allowed; use {allowed}", request.method, request.path))
}
