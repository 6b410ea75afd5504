//! Invalid configuration files, each with the exact position and wording of its error.

mod config_support;

use perf::config::{self, ConfigError, LoadOptions};

fn errors_of(text: &str) -> Vec<ConfigError> {
    let options = LoadOptions::new().without_env();
    match config::load_str("perf.toml", text, &options) {
        Ok(_) => panic!("expected errors in:\n{text}"),
        Err(errors) => errors.into_iter().collect(),
    }
}

struct Case {
    name: &'static str,
    text: &'static str,
    line: usize,
    column: usize,
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "unknown key with suggestion",
        text: "[collector]\nintervall = \"1s\"\n",
        line: 2,
        column: 1,
        message: "unknown key `intervall` in [collector]; did you mean `interval`?",
    },
    Case {
        name: "negative duration",
        text: "[collector]\ninterval = \"-5s\"\n",
        line: 2,
        column: 12,
        message: "collector.interval: a duration \"-5s\" is negative; use 0 or more",
    },
    Case {
        name: "unknown unit points inside the string",
        text: "[sites]\nslow_call = \"250 parsecs\"\n",
        line: 2,
        column: 18,
        message: "unknown unit \"parsecs\"",
    },
    Case {
        name: "duration without unit",
        text: "[sites]\nslow_call = 250\n",
        line: 2,
        column: 13,
        message: "sites.slow_call: expected a duration with a unit in quotes, like \"250ms\", found an integer 250",
    },
    Case {
        name: "wrong type",
        text: "[http]\nenabled = \"yes\"\n",
        line: 2,
        column: 11,
        message: "http.enabled: expected true or false, found a string \"yes\"",
    },
    Case {
        name: "percentage above 100",
        text: "[caches]\nhit_rate_target = \"120%\"\n",
        line: 2,
        column: 19,
        message: "is above 100%",
    },
    Case {
        name: "size with wrong dimension",
        text: "[caches.match.sessions]\nmax_size = \"64ms\"\n",
        line: 2,
        column: 12,
        message: "expected a size like \"64MiB\", found a duration \"64ms\"",
    },
    Case {
        name: "health bounds inverted",
        text: "[caches]\nhealth = { warning_below = \"50%\", critical_below = \"80%\" }\n",
        line: 2,
        column: 52,
        message: "critical_below: 80% is above warning_below 50%",
    },
    Case {
        name: "rule threshold without unit",
        text: "[alerts.rules.a]\nexpr = 'p99(latency) > 250'\n",
        line: 2,
        column: 24,
        message: "cannot compare a duration with a plain number",
    },
    Case {
        name: "rule missing operand",
        text: "[alerts.rules.a]\nexpr = 'rate(calls) >'\n",
        line: 2,
        column: 22,
        message: "expected a number, a metric, a function call or `(`, found the end of the expression",
    },
    Case {
        name: "rule unknown function",
        text: "[alerts.rules.a]\nexpr = 'pp99(latency) > 1s'\n",
        line: 2,
        column: 9,
        message: "unknown function `pp99`; did you mean `p99`?",
    },
    Case {
        name: "rule with escapes points at string start",
        text: "[alerts.rules.a]\nexpr = \"p99(latency{site=\\\"x\\\"}) > 5\"\n",
        line: 2,
        column: 8,
        message: "cannot compare a duration with a plain number",
    },
    Case {
        name: "alert recovery on the wrong side",
        text: "[alerts.rules.a]\nexpr = 'p99(latency) > 250ms'\nrecovery = 'p99(latency) < 300ms'\n",
        line: 3,
        column: 28,
        message: "recovery threshold 300ms is above the trigger threshold, on the wrong side",
    },
    Case {
        name: "alert recovery comparing the same way",
        text: "[alerts.rules.a]\nexpr = 'hit_rate < 90%'\nrecovery = 'hit_rate < 95%'\n",
        line: 3,
        column: 13,
        message: "the recovery must compare the other way; use > or >=",
    },
    Case {
        name: "alert with both expr and threshold",
        text: "[alerts.rules.a]\nexpr = 'calls > 1'\nthreshold = \"t\"\n",
        line: 3,
        column: 13,
        message: "set either `expr` or `threshold`, not both",
    },
    Case {
        name: "threshold recovery on the wrong side",
        text: "[thresholds.t]\nmetric = 'hit_rate'\nbelow = \"90%\"\nrecovery = \"80%\"\n",
        line: 4,
        column: 12,
        message: "recovery 80% is below the trigger 90%, on the wrong side",
    },
    Case {
        name: "threshold bound in the wrong unit",
        text: "[thresholds.t]\nmetric = 'p99(latency)'\nabove = \"90%\"\n",
        line: 3,
        column: 9,
        message: "expected a duration like \"250ms\", because the metric \"p99(latency)\" is a duration",
    },
    Case {
        name: "threshold metric that is not a value",
        text: "[thresholds.t]\nmetric = 'latency'\nabove = \"1s\"\n",
        line: 2,
        column: 11,
        message: "take a quantile first, like p99(latency)",
    },
    Case {
        name: "unknown receiver in route",
        text: "[receivers.pager]\nkind = \"log\"\n\n[[routes]]\nreceiver = \"pagr\"\n",
        line: 5,
        column: 12,
        message: "routes[0].receiver: unknown receiver \"pagr\"; did you mean `pager`? (defined: pager)",
    },
    Case {
        name: "unknown receiver in escalation level",
        text: "[escalation.oncall]\nlevels = [{ receivers = [\"nobody\"] }]\n",
        line: 2,
        column: 26,
        message: "unknown receiver \"nobody\" (none is defined)",
    },
    Case {
        name: "unknown escalation policy",
        text: "[receivers.log]\nkind = \"log\"\n[escalation.oncall]\nlevels = [{ receivers = [\"log\"] }]\n[alerts.rules.a]\nexpr = 'calls > 1'\nescalation = \"oncal\"\n",
        line: 7,
        column: 14,
        message: "unknown escalation policy \"oncal\"; did you mean `oncall`?",
    },
    Case {
        name: "unknown threshold",
        text: "[alerts.rules.a]\nthreshold = \"missing\"\n",
        line: 2,
        column: 13,
        message: "unknown threshold \"missing\"",
    },
    Case {
        name: "unknown receiver kind",
        text: "[receivers.pager]\nkind = \"webhok\"\n",
        line: 2,
        column: 8,
        message: "unknown value \"webhok\"; did you mean `webhook`?",
    },
    Case {
        name: "missing required key points at table",
        text: "[receivers.hook]\nkind = \"webhook\"\n",
        line: 1,
        column: 1,
        message: "receivers.hook: missing key `url`",
    },
    Case {
        name: "invalid url",
        text: "[receivers.hook]\nkind = \"webhook\"\nurl = \"ftp://x\"\n",
        line: 3,
        column: 7,
        message: "invalid URL \"ftp://x\"",
    },
    Case {
        name: "invalid regex in matcher",
        text: "[receivers.log]\nkind = \"log\"\n[[routes]]\nreceiver = \"log\"\nmatchers = ['team=~\"(\"']\n",
        line: 5,
        column: 20,
        message: "invalid regular expression",
    },
    Case {
        name: "silence ending before it starts",
        text: "[silences.s]\nmatchers = ['site=\"a\"']\nstarts_at = 2026-01-02T00:00:00Z\nends_at = 2026-01-01T00:00:00Z\n",
        line: 4,
        column: 11,
        message: "is not after starts_at",
    },
    Case {
        name: "retention not a multiple of the interval",
        text: "[collector]\ninterval = \"1s\"\n[[collector.retention]]\nresolution = \"1500ms\"\nkeep = \"1h\"\n",
        line: 4,
        column: 14,
        message: "1500ms is not a whole multiple of the collector interval 1s",
    },
    Case {
        name: "retention keep shorter than resolution",
        text: "[[collector.retention]]\nresolution = \"1m\"\nkeep = \"30s\"\n",
        line: 3,
        column: 8,
        message: "keep: 30s is shorter than the resolution 1m",
    },
    Case {
        name: "invalid listen address",
        text: "[http]\nlisten = \"localhost\"\n",
        line: 2,
        column: 10,
        message: "invalid address \"localhost\"",
    },
    Case {
        name: "unknown section with suggestion",
        text: "[recievers]\n",
        line: 1,
        column: 2,
        message: "unknown key `recievers` at the top level; did you mean `receivers`?",
    },
    Case {
        name: "unknown profile in extends",
        text: "[profiles.production]\nextends = \"staging\"\n",
        line: 2,
        column: 11,
        message: "profiles.production.extends: unknown profile \"staging\" (defined: production)",
    },
    Case {
        name: "cycle of extends",
        text: "[profiles.b]\nextends = \"a\"\n[profiles.a]\nextends = \"b\"\n",
        line: 4,
        column: 11,
        message: "profiles extend each other in a cycle: a -> b -> a",
    },
    Case {
        name: "invalid toml",
        text: "[collector\n",
        line: 1,
        column: 11,
        message: "invalid TOML: unclosed table",
    },
    Case {
        name: "unquoted string",
        text: "[collector]\ninterval = 1s\n",
        line: 2,
        column: 12,
        message: "invalid TOML: string values must be quoted",
    },
    Case {
        name: "duplicate key",
        text: "[http]\nenabled = true\nenabled = false\n",
        line: 3,
        column: 1,
        message: "invalid TOML: duplicate key",
    },
];

#[test]
fn invalid_files_report_exact_positions() {
    for case in CASES {
        let errors = errors_of(case.text);
        let found: Vec<String> = errors.iter().map(ToString::to_string).collect();
        let matching = errors.iter().find(|error| error.message.contains(case.message));
        let Some(error) = matching else {
            panic!("{}: no error mentions {:?}; errors: {found:#?}", case.name, case.message);
        };
        assert_eq!((error.line, error.column), (case.line, case.column), "{}: {error}", case.name);
        assert_eq!(error.file, "perf.toml", "{}", case.name);
    }
}

#[test]
fn invalid_files_report_one_error_each() {
    for case in CASES {
        let errors = errors_of(case.text);
        assert_eq!(errors.len(), 1, "{}: {errors:#?}", case.name);
    }
}

#[test]
fn errors_display_as_file_line_column() {
    let errors = errors_of("[collector]\ninterval = \"-5s\"\n");
    assert_eq!(
        errors[0].to_string(),
        "perf.toml:2:12: collector.interval: a duration \"-5s\" is negative; use 0 or more"
    );
}

#[test]
fn errors_all_reported_in_one_pass() {
    let text = "[collector]\ninterval = \"-1s\"\n\n[http]\nlisten = \"nowhere\"\n\n[sites]\nslow_call = \"fast\"\n";
    let positions: Vec<(usize, usize)> = errors_of(text).iter().map(|error| (error.line, error.column)).collect();
    assert_eq!(positions, vec![(2, 12), (5, 10), (8, 14)]);
}

#[test]
fn errors_key_names_the_path() {
    let errors = errors_of("[sites.match.\"shop::*\"]\nenabled = 1\n");
    assert_eq!(errors[0].key, "sites.match.\"shop::*\".enabled");
}

#[test]
fn env_override_error_position() {
    let options = LoadOptions::new().env_vars([("PERF_COLLECTOR__INTERVAL", "soon")]);
    let errors = config::load_str("perf.toml", "", &options).unwrap_err();
    let error = &errors.errors()[0];
    assert_eq!((error.file.as_str(), error.line, error.column), ("<env PERF_COLLECTOR__INTERVAL>", 1, 26));
}

#[test]
fn env_override_unknown_key_position() {
    let options = LoadOptions::new().env_vars([("PERF_COLLECTOR__INTERVALL", "1s")]);
    let errors = config::load_str("perf.toml", "", &options).unwrap_err();
    let error = &errors.errors()[0];
    assert_eq!((error.line, error.column), (1, 17));
    assert!(error.message.contains("did you mean `interval`"), "{error}");
}

#[test]
fn unknown_profile_from_api_position() {
    let options = LoadOptions::new().without_env().profile("prod");
    let errors = config::load_str("perf.toml", "[profiles.production]\n", &options).unwrap_err();
    let error = &errors.errors()[0];
    assert_eq!(
        error.to_string(),
        "<api>:1:11: unknown profile \"prod\"; did you mean `production`? (defined: production)"
    );
}

#[test]
fn unknown_profile_from_env_position() {
    let options = LoadOptions::new().env_vars([("PERF_PROFILE", "qa")]);
    let errors = config::load_str("perf.toml", "[profiles.staging]\n", &options).unwrap_err();
    let error = &errors.errors()[0];
    assert_eq!((error.file.as_str(), error.line, error.column), ("<env PERF_PROFILE>", 1, 14));
}

#[test]
fn errors_in_unselected_profile_found_by_check() {
    let text = "[profiles.production.collector]\ninterval = \"-1s\"\n";
    let errors = config::check_str("perf.toml", text, &LoadOptions::new().without_env()).unwrap_err();
    assert_eq!((errors.errors()[0].line, errors.errors()[0].column), (2, 12));
}

#[test]
fn example_file_is_valid() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/perf.toml");
    let loads = config::check_file(path, &LoadOptions::new().without_env()).unwrap_or_else(|errors| panic!("{errors}"));
    let profiles: Vec<Option<String>> = loads.into_iter().map(|loaded| loaded.profile).collect();
    let expected = [None, Some("development"), Some("staging"), Some("production")];
    assert_eq!(profiles, expected.map(|name| name.map(String::from)));
}
