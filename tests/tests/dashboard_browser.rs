//! The dashboard and the HTML report in a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`), against this test process: monitored functions and caches under load,
//! served on 127.0.0.1.
//!
//! Screenshots of every view at 390 and 1440 pixels wide go to `target/screenshots/`.

mod browser;

use std::time::Duration;

use browser::webdriver::Driver;
use browser::{base_url, exclusive, screenshots_dir, workload, VIEWS, WAIT};
use serde_json::json;

#[test]
fn views_load_without_console_errors() {
    let _browser = exclusive();
    let base = base_url();
    let driver = Driver::start();
    let session = driver.session(1280, 900);
    session.capture_errors();

    for view in &VIEWS {
        session.goto(&format!("{base}/#/{}", view.name));
        session.wait_for(view.ready, WAIT, &format!("the {} view to render", view.name));
        let errors = session.errors();
        assert!(errors.is_empty(), "the {} view logged errors: {errors:#?}", view.name);
    }
}

#[test]
fn export_download_fetches_chosen_format() {
    let _browser = exclusive();
    let base = base_url();
    let driver = Driver::start();
    let session = driver.session(1280, 900);
    session.capture_errors();
    session.goto(&format!("{base}/#/export"));
    session.wait_for(VIEWS[5].ready, WAIT, "the export view");

    session.script("document.getElementById('export-format').value = 'prometheus'; return null;", json!([]));
    session.click(&session.find("#export-download"));
    let notice = "document.querySelector('#view .notice').textContent";
    session.wait_for(&format!("{notice}.startsWith('Downloaded')"), WAIT, "the download");
    let text = session.script(&format!("return {notice};"), json!([]));
    assert!(text.as_str().unwrap_or_default().ends_with(" of prometheus."), "notice: {text}");
    let errors = session.errors();
    assert!(errors.is_empty(), "errors: {errors:#?}");
}

#[test]
fn site_toggle_changes_snapshot() {
    let _browser = exclusive();
    let base = base_url();
    let driver = Driver::start();
    let session = driver.session(1280, 900);
    session.capture_errors();
    assert!(perf::site(workload::LOGIN_SITE).expect("login site").enabled, "login starts monitored");

    session.goto(&format!("{base}/#/components"));
    let toggle = format!("#components tr[data-site='{}'] input.site-toggle", workload::LOGIN_SITE);
    session.wait_for(&format!("document.querySelector(\"{toggle}\") !== null"), WAIT, "the login toggle");
    session.click(&session.find(&toggle));
    wait_until(|| !perf::site(workload::LOGIN_SITE).expect("login site").enabled, "login to be turned off");

    let calls_off = perf::site(workload::LOGIN_SITE).expect("login site").calls;
    std::thread::sleep(Duration::from_millis(300));
    let calls_later = perf::site(workload::LOGIN_SITE).expect("login site").calls;
    assert_eq!(calls_later, calls_off, "a site turned off in the dashboard still counts calls");

    session.wait_for(
        &format!("document.querySelector(\"{toggle}\").checked === false"),
        WAIT,
        "the switch to show off",
    );
    session.click(&session.find(&toggle));
    wait_until(|| perf::site(workload::LOGIN_SITE).expect("login site").enabled, "login to be turned on again");
    let errors = session.errors();
    assert!(errors.is_empty(), "errors: {errors:#?}");
}

#[test]
fn threshold_form_rejects_bad_value() {
    let _browser = exclusive();
    let base = base_url();
    let expected =
        perf::config::set_threshold(workload::THRESHOLD, "above", "fast").expect_err("a bound needs a duration");
    let expected: Vec<&str> = expected.errors().iter().map(|error| error.message.as_str()).collect();
    let expected = expected.join("\n");

    let driver = Driver::start();
    let session = driver.session(1280, 900);
    session.capture_errors();
    session.goto(&format!("{base}/#/settings"));
    let field = format!("[data-threshold='{}'] form[data-field='above']", workload::THRESHOLD);
    session.wait_for(&format!("document.querySelector(\"{field} input\") !== null"), WAIT, "the threshold form");

    session.type_into(&session.find(&format!("{field} input")), "fast");
    session.click(&session.find(&format!("{field} button")));
    let error = format!("document.querySelector(\"{field} .error\").textContent");
    session.wait_for(&format!("{error}.length > 0"), WAIT, "the validation message");
    let shown = session.script(&format!("return {error};"), json!([]));
    assert_eq!(shown.as_str(), Some(expected.as_str()), "the form shows another message than the configuration");
    assert_eq!(threshold_above(), "250ms", "a rejected value changed the threshold");

    session.type_into(&session.find(&format!("{field} input")), "300ms");
    session.click(&session.find(&format!("{field} button")));
    wait_until(|| threshold_above() == "300ms", "the threshold to take 300ms");
    let errors = session.errors();
    assert!(errors.iter().all(|error| error.contains("422")), "errors besides the rejected request: {errors:#?}");
}

#[test]
fn raised_alert_appears_without_reload() {
    let _browser = exclusive();
    let base = base_url();
    let driver = Driver::start();
    let session = driver.session(1280, 900);
    session.capture_errors();
    // Timed refreshes are paused, so only the event stream can bring the alert in.
    session.goto(&format!("{base}/#/alerts"));
    session.script("localStorage.setItem('perf.refreshMs', '0'); return null;", json!([]));
    session.goto(&format!("{base}/?paused#/alerts"));
    session.wait_for(VIEWS[1].ready, WAIT, "the alerts view");
    session.wait_for("document.getElementById('live-text').textContent === 'live'", WAIT, "the event stream to open");
    let card = format!("document.querySelector(\"article.alert[data-rule='{}']\")", workload::REFUND_RULE);
    assert_eq!(
        session.script(&format!("return {card} === null;"), json!([])),
        json!(true),
        "the alert shows before it fires"
    );
    session.script("window.__sameDocument = true; return null;", json!([]));

    workload::fail_refunds(20);
    session.wait_for(&format!("{card} !== null"), WAIT, "the refund alert to appear");
    let state = session.script(&format!("return {card}.querySelector('.pill').textContent;"), json!([]));
    assert_eq!(state, json!("firing"));
    assert_eq!(session.script("return window.__sameDocument === true;", json!([])), json!(true), "the page reloaded");

    let ack = format!("article.alert[data-rule='{}'] button.ack", workload::REFUND_RULE);
    session.click(&session.find(&ack));
    wait_until(
        || {
            let manager = perf::alert::installed().expect("alert manager");
            let alerts = manager.alerts();
            let refund = alerts.iter().find(|status| status.alert.rule == workload::REFUND_RULE);
            refund.is_some_and(|status| status.alert.acknowledged.as_ref().is_some_and(|by| by.by == "dashboard"))
        },
        "the alert to be acknowledged by the dashboard",
    );
    session.wait_for(
        &format!("{card}.textContent.includes('acknowledged by dashboard')"),
        WAIT,
        "the acknowledgement to show",
    );
    let errors = session.errors();
    assert!(errors.is_empty(), "errors: {errors:#?}");
}

#[test]
fn bearer_token_unlocks_settings() {
    let _browser = exclusive();
    base_url();
    let options = perf::http::HttpOptions {
        address: std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        bearer_token: Some("s3cret-token".to_owned()),
        ..perf::http::HttpOptions::default()
    };
    let server = perf::serve(options).expect("perf's endpoint with a token starts");
    let base = format!("http://{}", server.local_addr());

    let driver = Driver::start();
    let session = driver.session(1280, 900);
    session.goto(&format!("{base}/#/settings"));
    session.wait_for("document.querySelector('#view .notice.error') !== null", WAIT, "the refusal without a token");
    let refusal = session.script("return document.querySelector('#view .notice.error').textContent;", json!([]));
    assert!(refusal.as_str().unwrap_or_default().contains("bearer token"), "refusal: {refusal}");

    session.type_into(&session.find("#token-input"), "s3cret-token");
    session.click(&session.find("#settings-token button"));
    session.goto(&format!("{base}/?token#/settings"));
    session.wait_for(VIEWS[4].ready, WAIT, "the settings with the token");
    session.wait_for(
        "document.getElementById('live-text').textContent === 'live'",
        WAIT,
        "the event stream with the token",
    );
}

#[test]
fn screenshots_at_phone_and_wall_widths() {
    let _browser = exclusive();
    let base = base_url();
    let driver = Driver::start();
    for (width, height) in [(390, 844), (1440, 900)] {
        let session = driver.session(width, height);
        for view in &VIEWS {
            session.goto(&format!("{base}/#/{}", view.name));
            session.wait_for(view.ready, WAIT, &format!("the {} view to render", view.name));
            let overflow =
                session.script("return document.documentElement.scrollWidth - window.innerWidth;", json!([]));
            assert!(
                overflow.as_i64().unwrap_or(0) <= 0,
                "the {} view is wider than {width} px by {overflow} px",
                view.name
            );

            let path = screenshots_dir().join(format!("dashboard-{}-{width}.png", view.name));
            assert_eq!(session.screenshot(&path), width, "width of {}", path.display());
        }
    }
}

#[test]
fn report_renders_in_browser() {
    let _browser = exclusive();
    base_url();
    wait_until(|| perf::series("browser_workload::place_order", 0).len() >= 4, "four points of checkout");
    workload::fail_refunds(20);
    wait_until(
        || {
            let manager = perf::alert::installed().expect("alert manager");
            manager.alerts().iter().any(|status| status.alert.rule == workload::REFUND_RULE)
        },
        "the refund alert to fire",
    );

    let input = perf::report::ReportInput::from_this_process(Duration::from_secs(60));
    let html = perf::report::render(&input, &perf::report::ReportOptions::default());
    let path = screenshots_dir().join("report.html");
    std::fs::create_dir_all(screenshots_dir()).expect("screenshot folder");
    std::fs::write(&path, html).expect("write the report");

    let driver = Driver::start();
    let session = driver.session(1440, 900);
    session.capture_errors();
    session.goto(&format!("file://{}", path.display()));
    session.wait_for("document.querySelector('#slowest tbody tr') !== null", WAIT, "the slowest sites table");

    let latency_lines = session.script("return document.querySelectorAll('#latency svg path').length;", json!([]));
    assert!(latency_lines.as_u64().unwrap_or(0) >= 3, "latency charts drew {latency_lines} lines");
    let alert_rows = session.script("return document.querySelectorAll('#alerts tbody tr').length;", json!([]));
    assert!(alert_rows.as_u64().unwrap_or(0) >= 1, "the alerts of the period list {alert_rows} changes");
    let cache_bars = session.script("return document.querySelectorAll('#caches svg rect').length;", json!([]));
    assert!(cache_bars.as_u64().unwrap_or(0) >= 4, "cache chart drew {cache_bars} rectangles");
    let errors = session.errors();
    assert!(errors.is_empty(), "errors: {errors:#?}");

    let screenshot = screenshots_dir().join("report-1440.png");
    assert_eq!(session.screenshot(&screenshot), 1440);
}

fn threshold_above() -> String {
    let settings = perf::config::current();
    let threshold = settings.thresholds.get(workload::THRESHOLD).expect("threshold in the configuration");
    let fields = serde_json::to_value(threshold).expect("a threshold serializes");
    fields["above"].as_str().unwrap_or_default().to_owned()
}

fn wait_until(condition: impl Fn() -> bool, what: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    while !condition() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
