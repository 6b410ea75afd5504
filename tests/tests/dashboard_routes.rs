//! The dashboard's routes through perf's HTTP handler and server, without a browser: the page
//! and its files, the JSON routes, the bearer token, and the event stream.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use perf::http::{Handler, HttpOptions, Request};
use serde_json::Value;

#[perf::monitored(name = "dashboard_routes::lookup", component = "routes_test")]
fn lookup(key: u64) -> Result<u64, String> {
    if key == 0 {
        return Err("zero".to_owned());
    }
    Ok(key)
}

fn handler(token: Option<&str>) -> Handler {
    let options = HttpOptions { bearer_token: token.map(str::to_owned), ..HttpOptions::default() };
    Handler::new(options).expect("default options are valid")
}

fn json(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("a JSON body")
}

#[test]
fn page_is_served_as_html() {
    let response = handler(None).handle(&Request::new("GET", "/").header("Accept-Encoding", "identity"));
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(String::from_utf8_lossy(&response.body).contains("<script type=\"module\" src=\"assets/app.js\">"));
}

#[test]
fn every_view_script_is_served() {
    for view in ["metrics", "alerts", "caches", "components", "settings", "export"] {
        let path = format!("/assets/views/{view}.js");
        let response = handler(None).handle(&Request::new("GET", &path));
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("content-type"), Some("text/javascript; charset=utf-8"), "{path}");
    }
}

#[test]
fn page_needs_no_token_but_data_does() {
    let handler = handler(Some("t0ken"));
    assert_eq!(handler.handle(&Request::new("GET", "/")).status, 200);
    assert_eq!(handler.handle(&Request::new("GET", "/assets/app.js")).status, 200);
    assert_eq!(handler.handle(&Request::new("GET", "/api/components")).status, 401);
    let body = br#"{"site": "dashboard_routes::lookup", "enabled": false}"#;
    assert_eq!(handler.handle(&Request::new("POST", "/api/toggle").body(body)).status, 401);
    assert_eq!(perf::site("dashboard_routes::lookup").map(|site| site.enabled), Some(true));
}

#[test]
fn components_list_site_with_calls() {
    lookup(1).unwrap();
    lookup(0).unwrap_err();
    let response = handler(None).handle(&Request::new("GET", "/api/components").header("Accept-Encoding", "identity"));
    assert_eq!(response.status, 200);
    let components = json(&response.body);
    let component = components["components"]
        .as_array()
        .and_then(|all| all.iter().find(|component| component["name"] == "routes_test"))
        .expect("the routes_test component");
    let site = &component["sites"][0];
    assert_eq!(site["name"], "dashboard_routes::lookup");
    assert!(site["calls"].as_u64().unwrap_or(0) >= 2, "{site}");
    assert!(site["errors"].as_u64().unwrap_or(0) >= 1, "{site}");
}

#[test]
fn toggle_unknown_site_is_404() {
    let body = br#"{"site": "no::such_site", "enabled": false}"#;
    let response =
        handler(None).handle(&Request::new("POST", "/api/toggle").body(body).header("Accept-Encoding", "identity"));
    assert_eq!(response.status, 404);
    assert_eq!(json(&response.body)["error"], "no site is named \"no::such_site\"; GET /api/snapshot lists the sites");
}

#[test]
fn toggle_two_targets_is_400() {
    let body = br#"{"site": "dashboard_routes::lookup", "component": "routes_test", "enabled": false}"#;
    let response = handler(None).handle(&Request::new("POST", "/api/toggle").body(body));
    assert_eq!(response.status, 400);
}

#[test]
fn series_rejects_bad_window() {
    let response =
        handler(None).handle(&Request::new("GET", "/api/series?window_ms=soon").header("Accept-Encoding", "identity"));
    assert_eq!(response.status, 400);
    assert!(json(&response.body)["error"].as_str().unwrap_or_default().starts_with("invalid window_ms \"soon\""));
}

#[test]
fn get_on_post_route_is_405() {
    assert_eq!(handler(None).handle(&Request::new("GET", "/api/toggle")).status, 405);
}

#[test]
fn base_path_without_slash_redirects() {
    let options = HttpOptions { base_path: "/perf".to_owned(), ..HttpOptions::default() };
    let handler = Handler::new(options).expect("valid options");
    let response = handler.handle(&Request::new("GET", "/perf"));
    assert_eq!(response.status, 308);
    assert_eq!(response.header("location"), Some("/perf/"));
    assert_eq!(handler.handle(&Request::new("GET", "/perf/assets/app.css")).status, 200);
}

#[test]
fn event_stream_opens_with_hello() {
    let server = perf::serve(SocketAddr::from(([127, 0, 0, 1], 0))).expect("server starts");
    let mut stream = TcpStream::connect(server.local_addr()).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    stream
        .write_all(b"GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        .expect("request");

    let mut received = Vec::new();
    let mut buffer = [0u8; 1024];
    while !String::from_utf8_lossy(&received).contains("event: hello") {
        let read = stream.read(&mut buffer).expect("read the stream");
        assert!(read > 0, "the stream closed: {}", String::from_utf8_lossy(&received));
        received.extend_from_slice(&buffer[..read]);
    }
    let text = String::from_utf8_lossy(&received);
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.to_ascii_lowercase().contains("content-type: text/event-stream"), "{text}");
    drop(stream);
    server.shutdown();
}
