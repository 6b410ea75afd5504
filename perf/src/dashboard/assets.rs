//! The dashboard's files, embedded in the binary so that it works offline and needs no files
//! next to the program.

/// One embedded file.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

/// The file `perf/assets/dashboard/<path>`, served at `/assets/<path>`.
macro_rules! asset {
    ($path:literal, $content_type:expr) => {
        Asset {
            path: concat!("/assets/", $path),
            content_type: $content_type,
            body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/dashboard/", $path)),
        }
    };
}

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

static ASSETS: &[Asset] = &[
    Asset { path: "/", content_type: HTML, body: include_bytes!("../../assets/dashboard/index.html") },
    Asset { path: "/index.html", content_type: HTML, body: include_bytes!("../../assets/dashboard/index.html") },
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
    asset!("app.js", JS),
    asset!("api.js", JS),
    asset!("chart.js", JS),
    asset!("dom.js", JS),
    asset!("format.js", JS),
    asset!("live.js", JS),
    asset!("views/metrics.js", JS),
    asset!("views/alerts.js", JS),
    asset!("views/caches.js", JS),
    asset!("views/components.js", JS),
    asset!("views/settings.js", JS),
    asset!("views/export.js", JS),
];

/// Returns the content type and bytes of the embedded file at `path`.
pub(crate) fn find(path: &str) -> Option<(&'static str, &'static [u8])> {
    ASSETS.iter().find(|asset| asset.path == path).map(|asset| (asset.content_type, asset.body))
}

/// Lists the paths of every embedded file.
pub(crate) fn paths() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|asset| asset.path)
}
