//! The routes and their query parameters.
//!
//! | route | response |
//! |---|---|
//! | `GET /metrics` | the live exposition, OpenMetrics or text 0.0.4 as `Accept` asks |
//! | `GET /api/snapshot` | the snapshot as JSON; `?pretty=true` indents it |
//! | `GET /api/export?format=json\|csv\|prometheus\|openmetrics` | the snapshot in that format |
//! | `GET /api/exports` | the status of every scheduled export, as JSON |
//! | `GET /healthz` | the health of every component as JSON, without authentication: 200, or 503 when one is unhealthy |
//!
//! `HEAD` works wherever `GET` does. Other methods get 405, unknown paths 404, and bad query
//! parameters 400, each with a message that names the problem and the fix.

use super::handler::{Request, Response};
use crate::export::{self, negotiate, Exposition, Format};

pub(crate) const HEALTH: &str = "/healthz";

/// Handles a request whose path (after the base path) may be one of these routes.
pub(crate) fn dispatch(exposition: &Exposition, route: &str, request: &Request<'_>) -> Response {
    let allowed = ["/metrics", "/api/snapshot", "/api/export", "/api/exports", HEALTH];
    if !allowed.contains(&route) {
        return not_found(request.path());
    }
    let method = request.method();
    if !method.eq_ignore_ascii_case("GET") && !method.eq_ignore_ascii_case("HEAD") {
        let message = format!("method {method} is not allowed on {route}; use GET or HEAD");
        return Response::error(405, &message).with_header("allow", "GET, HEAD");
    }
    let query = match Query::parse(request.query()) {
        Ok(query) => query,
        Err(message) => return Response::error(400, &message),
    };

    let result = match route {
        HEALTH => query.expect_only(&[]).map(|()| health()),
        "/metrics" => query.expect_only(&[]).map(|()| metrics(exposition, request)),
        "/api/snapshot" => snapshot(&query),
        "/api/export" => export(exposition, &query),
        _ => query.expect_only(&[]).map(|()| json(200, serde_json::to_vec(&export::status::all()).unwrap_or_default())),
    };
    result.unwrap_or_else(|message| Response::error(400, &message))
}

/// Returns the 404 response for a path that is not a route.
pub(crate) fn not_found(path: &str) -> Response {
    let message =
        format!("no route for {path}; the routes are /metrics, /api/snapshot, /api/export?format=json|csv|prometheus|openmetrics, /api/exports and /healthz");
    Response::error(404, &message)
}

fn health() -> Response {
    let report = crate::component::health();
    json(report.http_status(), serde_json::to_vec(&report).unwrap_or_default())
}

fn metrics(exposition: &Exposition, request: &Request<'_>) -> Response {
    let format = negotiate(request.header_value("accept"));
    let mut body = Vec::with_capacity(64 * 1024);
    exposition.scrape(format, &mut body);
    Response::new(200, format.content_type(), body)
}

fn snapshot(query: &Query<'_>) -> Result<Response, String> {
    query.expect_only(&["pretty"])?;
    let pretty = query.flag("pretty")?;
    let snapshot = crate::snapshot();
    let body = if pretty { export::to_json_pretty(&snapshot) } else { export::to_json(&snapshot) };
    Ok(json(200, body))
}

fn export(exposition: &Exposition, query: &Query<'_>) -> Result<Response, String> {
    query.expect_only(&["format"])?;
    let name = query
        .get("format")
        .ok_or("missing query parameter format; use ?format=json, csv, prometheus or openmetrics")?;
    let format: Format = name.parse().map_err(|error: export::UnknownFormat| error.to_string())?;
    let body = format.render(&crate::snapshot(), exposition);
    Ok(Response::new(200, format.content_type(), body))
}

fn json(status: u16, body: Vec<u8>) -> Response {
    Response::new(status, "application/json", body)
}

/// Decoded query parameters.
struct Query<'a> {
    pairs: Vec<(&'a str, String)>,
}

impl<'a> Query<'a> {
    fn parse(query: Option<&'a str>) -> Result<Self, String> {
        let mut pairs = Vec::new();
        for pair in query.unwrap_or_default().split('&').filter(|pair| !pair.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value)
                .ok_or_else(|| format!("query parameter {key} has an invalid percent-encoding: {value}"))?;
            if pairs.iter().any(|(seen, _)| *seen == key) {
                return Err(format!("query parameter {key} is given twice; give it once"));
            }
            pairs.push((key, value));
        }
        Ok(Query { pairs })
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find(|(name, _)| *name == key).map(|(_, value)| value.as_str())
    }

    fn flag(&self, key: &str) -> Result<bool, String> {
        match self.get(key) {
            None | Some("false" | "0") => Ok(false),
            Some("" | "true" | "1") => Ok(true),
            Some(other) => Err(format!("query parameter {key}={other} is invalid; use true or false")),
        }
    }

    fn expect_only(&self, known: &[&str]) -> Result<(), String> {
        match self.pairs.iter().find(|(key, _)| !known.contains(key)) {
            None => Ok(()),
            Some((key, _)) if known.is_empty() => Err(format!("unknown query parameter {key}; this route takes none")),
            Some((key, _)) => Err(format!("unknown query parameter {key}; this route takes {}", known.join(", "))),
        }
    }
}

/// Decodes `%XX` escapes and `+` (a space in form encoding); `None` for a malformed escape or
/// bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'%' => {
                let hex = text.get(index + 1..index + 3)?;
                decoded.push(u8::from_str_radix(hex, 16).ok()?);
                index += 3;
            }
            b'+' => {
                decoded.push(b' ');
                index += 1;
            }
            byte => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{Handler, HttpOptions};

    fn get(target: &str) -> Response {
        Handler::new(HttpOptions::default()).unwrap().handle(&Request::new("GET", target))
    }

    fn text(response: &Response) -> String {
        String::from_utf8(response.body.clone()).unwrap()
    }

    #[test]
    fn health_reports_components() {
        let response = get("/healthz");
        let report: serde_json::Value = serde_json::from_str(&text(&response)).unwrap();

        assert_eq!(response.status, 200);
        assert!(report["status"] == "healthy" || report["status"] == "degraded", "{report}");
        let components = report["components"].as_array().unwrap();
        assert!(components.iter().any(|component| component["name"] == "process"), "{report}");
    }

    #[test]
    fn unknown_path_is_404_with_routes() {
        let response = get("/nope");
        assert_eq!(response.status, 404);
        assert!(text(&response).contains("no route for /nope; the routes are /metrics"), "{}", text(&response));
    }

    #[test]
    fn post_is_405_with_allow() {
        let response = Handler::new(HttpOptions::default()).unwrap().handle(&Request::new("POST", "/metrics"));
        assert_eq!(response.status, 405);
        assert_eq!(response.header("allow"), Some("GET, HEAD"));
    }

    #[test]
    fn unknown_format_is_400() {
        let response = get("/api/export?format=xml");
        assert_eq!(response.status, 400);
        assert_eq!(text(&response), "error: unknown export format \"xml\"; use json, csv, prometheus or openmetrics\n");
    }

    #[test]
    fn missing_format_is_400() {
        assert_eq!(get("/api/export").status, 400);
    }

    #[test]
    fn unknown_parameter_is_400() {
        let response = get("/metrics?debug=1");
        assert_eq!(response.status, 400);
        assert!(text(&response).contains("unknown query parameter debug"), "{}", text(&response));
    }

    #[test]
    fn repeated_parameter_is_400() {
        assert_eq!(get("/api/export?format=csv&format=json").status, 400);
    }

    #[test]
    fn percent_encoded_format_is_decoded() {
        assert_eq!(get("/api/export?format=%6Apson").status, 400);
        assert_eq!(get("/api/export?format=%6Ason").status, 200);
    }

    #[test]
    fn percent_decode_rejects_bad_escape() {
        assert_eq!(percent_decode("a%2"), None);
        assert_eq!(percent_decode("a%zz"), None);
        assert_eq!(percent_decode("a+b%21"), Some("a b!".to_owned()));
    }

    #[test]
    fn head_has_no_body() {
        let response = Handler::new(HttpOptions::default()).unwrap().handle(&Request::new("HEAD", "/healthz"));
        assert_eq!(response.status, 200);
        assert!(response.body.is_empty());
    }

    #[test]
    fn token_guards_metrics_but_not_health() {
        let options = HttpOptions { bearer_token: Some("s3cret".into()), ..HttpOptions::default() };
        let handler = Handler::new(options).unwrap();
        let denied = handler.handle(&Request::new("GET", "/metrics"));
        assert_eq!(denied.status, 401);
        assert_eq!(denied.header("www-authenticate"), Some("Bearer realm=\"perf\""));
        assert_eq!(
            handler.handle(&Request::new("GET", "/metrics").header("Authorization", "Bearer s3cret")).status,
            200
        );
        assert_eq!(handler.handle(&Request::new("GET", "/healthz")).status, 200);
    }

    #[test]
    fn base_path_is_stripped() {
        let options = HttpOptions { base_path: "/perf/".into(), ..HttpOptions::default() };
        let handler = Handler::new(options).unwrap();
        assert_eq!(handler.handle(&Request::new("GET", "/perf/healthz")).status, 200);
        assert_eq!(handler.handle(&Request::new("GET", "/healthz")).status, 404);
        assert_eq!(handler.handle(&Request::new("GET", "/perfhealthz")).status, 404);
    }

    #[test]
    fn large_body_is_413() {
        let handler = Handler::new(HttpOptions::default()).unwrap();
        let response = handler.handle(&Request::new("GET", "/metrics").body_length(10 * 1024 * 1024));
        assert_eq!(response.status, 413);
    }

    #[test]
    fn metrics_negotiates_openmetrics() {
        let handler = Handler::new(HttpOptions::default()).unwrap();
        let response = handler
            .handle(&Request::new("GET", "/metrics").header("Accept", "application/openmetrics-text; version=1.0.0"));
        assert_eq!(response.header("content-type"), Some(crate::export::openmetrics::CONTENT_TYPE));
        assert!(response.body.ends_with(b"# EOF\n"));
    }
}
