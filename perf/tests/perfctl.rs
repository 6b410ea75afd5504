//! The `perfctl` binary itself: exit status and output of `check` and `config`.

use std::process::Command;

fn perfctl(arguments: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_perfctl"))
        .args(arguments)
        .env_remove("PERF_PROFILE")
        .output()
        .expect("perfctl runs")
}

fn example() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/perf.toml").to_owned()
}

#[test]
fn perfctl_check_accepts_example() {
    let output = perfctl(&["check", &example()]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn perfctl_check_rejects_bad_file_with_positions() {
    let dir = std::env::temp_dir().join(format!("perfctl-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(&path, "[collector]\ninterval = \"-1s\"\n[http]\nlisten = \"nowhere\"\n").unwrap();

    let output = perfctl(&["check", path.to_str().unwrap()]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    assert_eq!(output.status.code(), Some(1));
    let file = path.display().to_string();
    assert!(stderr.lines().next().unwrap().starts_with(&format!("{file}:2:12: ")), "{stderr}");
    assert!(stderr.lines().nth(1).unwrap().starts_with(&format!("{file}:4:10: ")), "{stderr}");
}

#[test]
fn perfctl_config_prints_sources() {
    let output = perfctl(&["config", &example(), "--profile", "production"]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0));
    let line = stdout.lines().find(|line| line.starts_with("collector.interval = \"5s\"")).expect("interval printed");
    assert!(line.ends_with("(profile production)"), "{line}");
}

#[test]
fn perfctl_without_arguments_is_usage_error() {
    assert_eq!(perfctl(&[]).status.code(), Some(2));
}

#[test]
fn perfctl_check_rejects_what_init_rejects() {
    let dir = std::env::temp_dir().join(format!("perfctl-alerting-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("rate_limit.toml");
    let text = "[receivers.hook]\nkind = \"webhook\"\nurl = \"http://127.0.0.1:9/hook\"\nrate_limit = \"20/m\"\n\n[[routes]]\nreceiver = \"hook\"\n";
    std::fs::write(&path, text).unwrap();

    let output = perfctl(&["check", path.to_str().unwrap()]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let expected = format!("{}:4:14: receivers.hook.rate_limit: ", path.display());
    assert!(stderr.starts_with(&expected), "{stderr}");
    assert_eq!(stderr.lines().filter(|line| line.contains("receivers.hook.rate_limit")).count(), 1, "{stderr}");
}
