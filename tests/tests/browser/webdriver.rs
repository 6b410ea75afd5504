//! A small WebDriver client for chromedriver: sessions, navigation, scripts, elements,
//! screenshots, the browser's console log, and Chrome DevTools commands.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Key of an element reference in WebDriver responses.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A chromedriver process on a free port of 127.0.0.1, ended on drop.
pub(crate) struct Driver {
    child: Child,
    base: String,
    agent: ureq::Agent,
}

/// One browser session: a headless Chromium with its own fresh profile, closed on drop.
pub(crate) struct Session<'a> {
    driver: &'a Driver,
    id: String,
    _profile: tempfile::TempDir,
}

/// A reference to an element of the page.
#[derive(Debug, Clone)]
pub(crate) struct Element(String);

impl Driver {
    /// Starts chromedriver. Panics with the Debian package to install when a binary is
    /// missing.
    pub(crate) fn start() -> Driver {
        let driver_path = binary("PERF_CHROMEDRIVER", CHROMEDRIVER, "chromium-driver");
        binary("PERF_CHROMIUM", CHROMIUM, "chromium");

        let port = free_port();
        let child = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("failed to start {}: {error}", driver_path.display()));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        let driver = Driver { child, base: format!("http://127.0.0.1:{port}"), agent };

        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let status = driver.request("GET", "/status", None);
            if status.as_ref().is_ok_and(|value| value["ready"] == json!(true)) {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready on port {port}: {status:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Opens a session with a new headless Chromium at the given window size.
    pub(crate) fn session(&self, width: u32, height: u32) -> Session<'_> {
        let profile = tempfile::tempdir().expect("temporary profile folder");
        let chromium = binary("PERF_CHROMIUM", CHROMIUM, "chromium");
        let args = [
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--no-default-browser-check".to_owned(),
            "--hide-scrollbars".to_owned(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": { "binary": chromium, "args": args },
                "goog:loggingPrefs": { "browser": "ALL" },
            }}
        });
        let value = self.request("POST", "/session", Some(capabilities)).unwrap_or_else(|error| panic!("{error}"));
        let id = value["sessionId"].as_str().unwrap_or_else(|| panic!("no session id in {value}")).to_owned();
        let session = Session { driver: self, id, _profile: profile };
        session.set_viewport(width, height);
        session
    }

    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let mut response = response.map_err(|error| format!("{method} {path}: {error}"))?;
        let text = response.body_mut().read_to_string().map_err(|error| format!("{method} {path}: {error}"))?;
        let parsed: Value = serde_json::from_str(&text).map_err(|error| format!("{method} {path}: {error}: {text}"))?;
        if !response.status().is_success() {
            return Err(format!("{method} {path} returned {}: {}", response.status(), parsed["value"]));
        }
        Ok(parsed["value"].clone())
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Session<'_> {
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let path = format!("/session/{}{path}", self.id);
        self.driver.request(method, &path, body).unwrap_or_else(|error| panic!("{error}"))
    }

    /// Runs a Chrome DevTools Protocol command.
    pub(crate) fn cdp(&self, command: &str, params: Value) -> Value {
        self.call("POST", "/goog/cdp/execute", Some(json!({ "cmd": command, "params": params })))
    }

    /// Sets the size of the page's viewport in CSS pixels.
    pub(crate) fn set_viewport(&self, width: u32, height: u32) {
        self.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
    }

    /// Records console errors, uncaught exceptions and unhandled rejections of every page
    /// loaded from now on into `window.__perfErrors`.
    pub(crate) fn capture_errors(&self) {
        let script = r#"
            window.__perfErrors = [];
            const original = console.error.bind(console);
            console.error = (...parts) => { window.__perfErrors.push(parts.map(String).join(' ')); original(...parts); };
            window.addEventListener('error', (event) => window.__perfErrors.push('uncaught: ' + event.message));
            window.addEventListener('unhandledrejection', (event) => window.__perfErrors.push('unhandled rejection: ' + event.reason));
        "#;
        self.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": script }));
    }

    /// Loads a URL and waits for the document to load.
    pub(crate) fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs a script in the page and returns its value (`return ...;`).
    pub(crate) fn script(&self, script: &str, args: Value) -> Value {
        self.call("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    /// Waits until `condition` (a JavaScript expression) is true, and panics with `what` and the
    /// page's text after `timeout`.
    pub(crate) fn wait_for(&self, condition: &str, timeout: Duration, what: &str) {
        let deadline = Instant::now() + timeout;
        let script = format!("try {{ return Boolean({condition}); }} catch (error) {{ return false; }}");
        while Instant::now() < deadline {
            if self.script(&script, json!([])) == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let text = self.script("return document.body ? document.body.innerText.slice(0, 2000) : '';", json!([]));
        panic!(
            "timed out after {timeout:?} waiting for {what} ({condition}); page text:\n{}",
            text.as_str().unwrap_or("")
        );
    }

    /// Finds the first element matching a CSS selector.
    pub(crate) fn find(&self, selector: &str) -> Element {
        let value = self.call("POST", "/element", Some(json!({ "using": "css selector", "value": selector })));
        Element(value[ELEMENT_KEY].as_str().unwrap_or_else(|| panic!("no element for {selector}: {value}")).to_owned())
    }

    /// Clicks an element.
    pub(crate) fn click(&self, element: &Element) {
        self.call("POST", &format!("/element/{}/click", element.0), None);
    }

    /// Clears a text field and types `text` into it.
    pub(crate) fn type_into(&self, element: &Element, text: &str) {
        self.call("POST", &format!("/element/{}/clear", element.0), None);
        self.call("POST", &format!("/element/{}/value", element.0), Some(json!({ "text": text })));
    }

    /// Returns the errors recorded by [`capture_errors`](Self::capture_errors) and the
    /// browser log's severe entries (failed loads among them) since the last call.
    pub(crate) fn errors(&self) -> Vec<String> {
        let mut errors: Vec<String> = self
            .script("return window.__perfErrors || [];", json!([]))
            .as_array()
            .map(|items| items.iter().map(|item| item.as_str().unwrap_or_default().to_owned()).collect())
            .unwrap_or_default();
        let log = self.call("POST", "/se/log", Some(json!({ "type": "browser" })));
        for entry in log.as_array().into_iter().flatten() {
            if entry["level"] == json!("SEVERE") {
                errors.push(format!("browser log: {}", entry["message"].as_str().unwrap_or_default()));
            }
        }
        errors
    }

    /// Saves a PNG of the whole page (beyond the viewport) and returns its width in pixels.
    pub(crate) fn screenshot(&self, path: &Path) -> u32 {
        let value = self.cdp(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true, "fromSurface": true }),
        );
        let data = value["data"].as_str().unwrap_or_else(|| panic!("no screenshot data: {value}"));
        let png = base64::engine::general_purpose::STANDARD.decode(data).expect("screenshot is base64");
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).expect("screenshot folder");
        }
        std::fs::write(path, &png).unwrap_or_else(|error| panic!("failed to write {}: {error}", path.display()));
        png_width(&png)
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.driver.request("DELETE", &format!("/session/{}", self.id), None);
    }
}

/// Reads the width from a PNG's header chunk.
pub(crate) fn png_width(png: &[u8]) -> u32 {
    assert!(png.len() > 24, "a PNG file of {} bytes is too short", png.len());
    assert_eq!(&png[1..4], b"PNG", "not a PNG signature");
    assert_eq!(&png[12..16], b"IHDR", "no PNG header chunk");
    u32::from_be_bytes([png[16], png[17], png[18], png[19]])
}

fn binary(variable: &str, default: &str, package: &str) -> PathBuf {
    let path = std::env::var_os(variable).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.exists(),
        "{} is missing: the browser tests need Debian's {package} package (apt-get install -y chromium chromium-driver), or {variable} set to the binary",
        path.display()
    );
    path
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port on 127.0.0.1");
    listener.local_addr().expect("local address").port()
}
