//! Scheduled exports on their own thread: files named from the template, atomic replacement
//! and retention. A real failure (a folder path through a regular file) must leave the
//! previous file intact and show in the status and the snapshot, and the next tick retries.

use std::fs;
use std::path::Path;
use std::time::Duration;

use perf::export::{self, Format, ScheduledExport};

fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !condition() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn files(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = match fs::read_dir(folder) {
        Ok(entries) => entries.map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

#[test]
fn schedule_keeps_last_files() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let handle = export::schedule(ScheduledExport {
        name: "schedule-retention".into(),
        format: Format::OpenMetrics,
        directory: folder.path().to_owned(),
        file_name: "perf-%Y%m%dT%H%M%S%3f.om".into(),
        interval: Duration::from_secs(1),
        keep_last: 2,
        ..ScheduledExport::default()
    })
    .expect("the schedule starts");

    wait_until("three runs", || export::status::get("schedule-retention").is_some_and(|status| status.successes >= 3));
    handle.stop();

    let names = files(folder.path());
    assert_eq!(names.len(), 2, "{names:?}");
    for name in &names {
        let text = fs::read_to_string(folder.path().join(name)).unwrap();
        assert!(text.ends_with("# EOF\n"), "{name} is a whole OpenMetrics exposition");
    }
}

#[test]
fn failure_keeps_file_and_retries() {
    let root = tempfile::tempdir().expect("temporary folder");
    let folder = root.path().join("exports");
    let handle = export::schedule(ScheduledExport {
        name: "schedule-failure".into(),
        format: Format::Json,
        directory: folder.clone(),
        file_name: "latest.json".into(),
        interval: Duration::from_secs(1),
        keep_last: 0,
        ..ScheduledExport::default()
    })
    .expect("the schedule starts");
    wait_until("the first export", || folder.join("latest.json").exists());
    let first = fs::read(folder.join("latest.json")).unwrap();

    // Swap the folder for a regular file: creating the folder and the temporary file fail.
    let parked = root.path().join("parked");
    fs::rename(&folder, &parked).unwrap();
    fs::write(&folder, b"a regular file where the folder was").unwrap();
    wait_until("a failed run", || export::status::get("schedule-failure").is_some_and(|status| status.failures >= 1));

    let status = export::status::get("schedule-failure").unwrap();
    assert!(status.consecutive_failures >= 1);
    let error = status.last_error.clone().unwrap_or_default();
    assert!(error.contains("failed to create export folder"), "{error}");
    let in_snapshot = perf::snapshot().exports.into_iter().find(|export| export.name == "schedule-failure");
    assert!(in_snapshot.is_some_and(|export| export.failures >= 1), "the failure is in the snapshot");
    assert_eq!(fs::read(parked.join("latest.json")).unwrap(), first, "the previous export is intact");

    // Put the folder back: the next tick succeeds again.
    fs::remove_file(&folder).unwrap();
    fs::rename(&parked, &folder).unwrap();
    let failures = export::status::get("schedule-failure").unwrap().failures;
    wait_until("a successful retry", || {
        export::status::get("schedule-failure")
            .is_some_and(|status| status.consecutive_failures == 0 && status.failures >= failures)
    });
    handle.stop();

    let recovered = export::status::get("schedule-failure").unwrap();
    assert_eq!(recovered.last_error, None);
    let snapshot = export::from_json(&fs::read(folder.join("latest.json")).unwrap()).expect("a whole JSON export");
    assert!(snapshot.taken_at_ms > 0);
}
