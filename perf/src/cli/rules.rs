//! `perfctl rules FILE [--profile NAME] [--range DURATION] [-o OUT]`: writes the alert rules
//! of a configuration file as a Prometheus rule file.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use super::{Args, Command, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::config::units::parse_quantity;
use crate::config::{self, LoadOptions, Loaded};
use crate::config::{AlertCondition, AlertRule, Bound, Settings, ThresholdRule};
use crate::export::naming::is_clean_identifier;
use crate::export::promql::{PromqlError, Translator};
use crate::export::rules::{self, AlertRule as PrometheusRule, RuleGroup};

pub(super) const COMMAND: Command = Command {
    name: "rules",
    usage: "FILE [--profile NAME] [--range DURATION] [-o OUT]",
    summary: "Writes the alert rules of FILE as a Prometheus rule file (to OUT, or to standard output), with rates and ratios over DURATION (default 1m); exits with 1 and writes nothing when a rule has no PromQL equivalent.",
    options: &["profile", "range", "o"],
    run,
};

/// Name of the rule group written.
const GROUP: &str = "perf";

fn run(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let [file] = args.positional.as_slice() else {
        let _ = writeln!(
            err,
            "perfctl rules: expected one FILE, found {}; usage: perfctl rules {}",
            args.positional.len(),
            COMMAND.usage
        );
        return EXIT_USAGE;
    };
    let mut translator = Translator::default();
    if let Some(range) = args.option("range") {
        match parse_quantity(range).ok().and_then(|quantity| quantity.to_duration()) {
            Some(duration) if duration >= Duration::from_secs(1) => translator.range = duration,
            _ => {
                let _ =
                    writeln!(err, "perfctl rules: invalid --range {range:?}; give a duration of 1s or more, like 5m");
                return EXIT_USAGE;
            }
        }
    }
    let options = match args.option("profile") {
        Some(profile) => LoadOptions::new().command_line_profile(profile),
        None => LoadOptions::new(),
    };

    let loaded = match config::load_file(file, &options) {
        Ok(loaded) => loaded,
        Err(errors) => {
            for error in errors.errors() {
                let _ = writeln!(err, "{error}");
            }
            return EXIT_INVALID;
        }
    };

    let mut group = RuleGroup { name: GROUP.to_owned(), interval: None, rules: Vec::new() };
    let mut failures = Vec::new();
    for (name, rule) in loaded.settings.alerts.rules.iter().filter(|(_, rule)| rule.enabled) {
        match translate_rule(&translator, &loaded, name, rule) {
            Ok(translated) => group.rules.push(translated),
            Err(message) => failures.push(message),
        }
        if matches!(&rule.condition, AlertCondition::Expression { recovery: Some(_), .. }) {
            let _ = writeln!(
                err,
                "{}: warning: alert rule `{name}`: its recovery condition is not translated, so Prometheus resolves the alert as soon as `expr` stops holding; set keep_firing_for to delay the resolution",
                loaded.source_of(&format!("alerts.rules.{name}.recovery"))
            );
        }
    }
    if !failures.is_empty() {
        for failure in &failures {
            let _ = writeln!(err, "{failure}");
        }
        let count = failures.len();
        let _ = writeln!(
            err,
            "{file}: {count} alert rule{} without a PromQL equivalent; nothing written",
            if count == 1 { "" } else { "s" }
        );
        return EXIT_INVALID;
    }

    let groups = [group];
    let written = match args.option("o") {
        Some(path) => rules::write_rule_file(Path::new(path), &groups).map_err(|error| error.to_string()),
        None => rules::render_rule_file(&groups)
            .map_err(|error| error.to_string())
            .and_then(|yaml| out.write_all(yaml.as_bytes()).map_err(|error| error.to_string())),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(error) => {
            let _ = writeln!(err, "perfctl rules: {error}");
            EXIT_INVALID
        }
    }
}

/// Translates one alert rule, or returns the message that names it, where it was written and
/// why it has no PromQL equivalent.
fn translate_rule(
    translator: &Translator,
    loaded: &Loaded,
    name: &str,
    rule: &AlertRule,
) -> Result<PrometheusRule, String> {
    if !is_clean_identifier(name) {
        let key = match rule.condition {
            AlertCondition::Expression { .. } => "expr",
            AlertCondition::Threshold { .. } => "threshold",
        };
        let position = loaded.source_of(&format!("alerts.rules.{name}.{key}"));
        return Err(format!(
            "{position}: alert rule `{name}`: the name is not a valid Prometheus alert name; rename it with letters, digits and underscores"
        ));
    }
    let expr = match &rule.condition {
        AlertCondition::Expression { expr, .. } => translator.condition(&expr.expr).map_err(|error| {
            let position = loaded.source_of(&format!("alerts.rules.{name}.expr"));
            describe(&position, name, &expr.text, &error)
        }),
        AlertCondition::Threshold { threshold } => {
            let position = loaded.source_of(&format!("alerts.rules.{name}.threshold"));
            threshold_condition(translator, &loaded.settings, threshold)
                .map_err(|why| format!("{position}: alert rule `{name}`: threshold `{threshold}` {why}"))
        }
    }?;

    let mut labels = rule.labels.clone();
    labels.insert("severity".to_owned(), severity_name(rule));
    Ok(PrometheusRule {
        name: name.to_owned(),
        expr,
        for_duration: (!rule.for_duration.is_zero()).then_some(rule.for_duration),
        keep_firing_for: (!rule.keep_firing_for.is_zero()).then_some(rule.keep_firing_for),
        labels,
        annotations: rule.annotations.clone(),
    })
}

/// Translates a `threshold = "NAME"` condition: only a static bound has a PromQL equivalent.
fn threshold_condition(translator: &Translator, settings: &Settings, threshold: &str) -> Result<String, String> {
    let Some(definition) = settings.thresholds.get(threshold) else {
        return Err("is not defined in [thresholds]; define it or fix the name".to_owned());
    };
    let bound = match &definition.rule {
        ThresholdRule::Static { bound, .. } => bound,
        ThresholdRule::Absence { .. } => {
            return Err("is an absence threshold; write the rule as expr = 'absent(SELECTOR, WINDOW)' to export it".to_owned())
        }
        _ => {
            return Err("is an adaptive threshold computed from the history kept in the process and has no PromQL equivalent; use a static threshold".to_owned())
        }
    };
    let value = translator
        .value(&definition.metric.expr)
        .map_err(|error| format!("metric `{}`: {error}", definition.metric.text))?;
    Ok(match bound {
        Bound::Above(quantity) => format!("{value} > {}", quantity.base_value()),
        Bound::Below(quantity) => format!("{value} < {}", quantity.base_value()),
    })
}

fn severity_name(rule: &AlertRule) -> String {
    serde_json::to_value(rule.severity)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_else(|| "warning".to_owned())
}

/// Writes `position: alert rule `name`: `part`: message` for an expression that cannot be
/// translated, quoting the part of the expression at fault.
fn describe(position: &str, name: &str, text: &str, error: &PromqlError) -> String {
    let part = text.get(error.span.start..error.span.end).unwrap_or(text);
    format!(
        "{position}: alert rule `{name}`: `{part}` (bytes {}..{} of expr): {error}",
        error.span.start, error.span.end
    )
}
