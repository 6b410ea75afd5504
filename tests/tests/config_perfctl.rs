//! `perfctl check`, run in process: exit status and `file:line:column` output.

mod config_support;

use std::ffi::OsString;

fn perfctl(arguments: &[OsString]) -> (i32, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let status = perf::cli::run(arguments.to_vec(), &mut out, &mut err);
    (status, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
}

const BAD: &str = "[collector]\ninterval = \"-5s\"\n\n[[routes]]\nreceiver = \"pager\"\n";

#[test]
fn check_valid_file_exits_zero() {
    let dir = config_support::ConfigDir::new("[collector]\ninterval = \"1s\"\n");
    let (status, out, _) = perfctl(&["check".into(), dir.path.clone().into()]);
    assert_eq!(status, 0);
    assert!(out.contains("valid"), "{out}");
}

#[test]
fn check_invalid_file_exits_one() {
    let dir = config_support::ConfigDir::new(BAD);
    let (status, _, _) = perfctl(&["check".into(), dir.path.clone().into()]);
    assert_eq!(status, 1);
}

#[test]
fn check_prints_every_error_with_position() {
    let dir = config_support::ConfigDir::new(BAD);
    let (_, _, err) = perfctl(&["check".into(), dir.path.clone().into()]);
    let file = dir.path.display().to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert!(lines[0].starts_with(&format!("{file}:2:12: collector.interval")), "{err}");
    assert!(lines[1].starts_with(&format!("{file}:5:12: routes[0].receiver: unknown receiver")), "{err}");
    assert_eq!(lines[2], format!("{file}: 2 errors"));
}

#[test]
fn check_with_profile_checks_that_profile() {
    let text = "[profiles.fast.collector]\ninterval = \"0s\"\n";
    let dir = config_support::ConfigDir::new(text);
    let (status, _, err) = perfctl(&["check".into(), dir.path.clone().into(), "--profile".into(), "fast".into()]);
    assert_eq!(status, 1);
    assert!(err.contains(":2:12: collector.interval: \"0s\" is too short"), "{err}");
}

#[test]
fn check_unknown_profile_points_at_command_line() {
    let dir = config_support::ConfigDir::new("[profiles.production]\n");
    let (status, _, err) = perfctl(&["check".into(), dir.path.clone().into(), "--profile=prod".into()]);
    assert_eq!(status, 1);
    assert!(err.starts_with("<command line>:1:11: unknown profile \"prod\"; did you mean `production`?"), "{err}");
}

#[test]
fn check_missing_file_exits_one() {
    let (status, _, err) = perfctl(&["check".into(), "/nonexistent/perf.toml".into()]);
    assert_eq!(status, 1);
    assert!(err.starts_with("/nonexistent/perf.toml:1:1: failed to read the configuration file"), "{err}");
}

#[test]
fn check_without_file_is_usage_error() {
    let (status, _, _) = perfctl(&["check".into()]);
    assert_eq!(status, 2);
}

#[test]
fn unknown_command_suggests() {
    let (status, _, err) = perfctl(&["chek".into()]);
    assert_eq!(status, 2);
    assert!(err.contains("did you mean `check`?"), "{err}");
}
