//! Builds an [`AlertManager`] from the alerting sections of a configuration file:
//! `[alerts]`, `[receivers]`, `[[routes]]`, `[silences]`, `[escalation]` and the
//! `[thresholds]` that rules name.
//!
//! [`crate::config::init`], every successful reload and every runtime change through
//! [`crate::config::set`] call [`build`] before the new configuration takes effect. So a
//! configuration whose alerting part cannot be built is rejected as a whole, and the last good
//! one, with its manager, stays in effect. A new manager
//! starts with no alert state: after a reload, pending `for` timers, firing alerts, groups,
//! escalations, acknowledgements and silences added through the API start over, so alerts
//! still active fire and notify again. A file with none of these sections leaves alerting
//! alone, apart from removing a manager that an earlier version of the file installed.
//!
//! The two schemas differ in a few places, and the translation is:
//!
//! - Routes: the `[[routes]]` become children of a root route, tried in order. An alert that
//!   no route takes goes to a log receiver named [`UNROUTED_RECEIVER`], so that it is not lost.
//! - A rule's `escalation`: a route placed before the others sends the rule's alerts to the
//!   policy and nowhere else (`continue = true`, so the other routes still apply).
//! - Escalation delays: in the file, a level waits `delay` after the previous level, and the
//!   first one waits after the alert fires. In the alert manager, level 0 is notified at once
//!   and each level waits its `delay` before the next. Each level therefore takes the delay of the level
//!   after it, the last one takes 0, and a first delay above 0 becomes a leading level with no
//!   receiver. The level numbers in notifications then count from 1.
//! - `[alerts] flap_window` and `flap_max_changes` apply to every rule.
//! - `threshold = "NAME"` becomes the rule expression that the threshold describes.
//! - Retry policies: the alert manager has one for all receivers, so every receiver must have
//!   the same `retry` (or none); the backoff doubles with the default jitter.
//!
//! A few settings have no counterpart yet and are rejected with an error at their position:
//! `rate_limit` on a receiver, `kind = "callback"` (there is no registry of named callbacks)
//! and a log receiver `level` other than `warn`.

use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use super::{
    AlertManager, AlertRule, AlertmanagerReceiver, DeliveryError, EscalationLevel, EscalationPolicy, FileReceiver,
    InhibitRule, LogReceiver, Matcher, NoDataPolicy, Notification, Receiver, RetryPolicy, Route, Silence,
    WebhookReceiver,
};
use crate::config::units::format_duration;
use crate::config::{
    self, AlertCondition, Bound, ConfigError, ConfigErrors, Direction, Loaded, NoDataState, ReceiverKind, Settings,
    Threshold, ThresholdRule,
};
use crate::event::Severity;

/// Name of the log receiver of the alerts that no `[[routes]]` entry takes.
pub const UNROUTED_RECEIVER: &str = "<unrouted>";

/// Name of the receiver of the routes that exist only to start a rule's escalation policy. It
/// sends nothing, because the policy's levels notify their own receivers.
const ESCALATION_ONLY_RECEIVER: &str = "<escalation only>";

/// The manager installed by the configuration, to remove it when a later version of the file
/// has no alerting section, without removing one that the program installed itself.
static CONFIGURED: Mutex<Option<Weak<AlertManager>>> = Mutex::new(None);

/// Builds the alert manager that a loaded configuration describes, with its silences added.
/// Returns every error found, each at the position of the value it is about.
///
/// ```no_run
/// let loaded = perf::config::load_file("perf.toml", &perf::config::LoadOptions::new())?;
/// let manager = perf::alert::from_config::build(&loaded)?;
/// perf::alert::install(manager);
/// # Ok::<(), perf::config::ConfigErrors>(())
/// ```
pub fn build(loaded: &Loaded) -> Result<AlertManager, ConfigErrors> {
    let mut bridge = Bridge { loaded, errors: Vec::new() };
    let settings = &*loaded.settings;

    let rules = bridge.rules(settings);
    let receivers = bridge.receivers(settings);
    let retry = bridge.retry(settings);
    let route = bridge.route(settings);
    let policies = bridge.escalation_policies(settings);
    let inhibit_rules = bridge.inhibit_rules(settings);
    if !bridge.errors.is_empty() {
        return Err(ConfigErrors::from_vec(bridge.errors));
    }

    let mut builder = AlertManager::builder().route(route).retry(retry);
    builder = builder.history_capacity(usize::try_from(settings.alerts.history_limit).unwrap_or(usize::MAX));
    if let Some(path) = &settings.alerts.history_path {
        builder = builder.history_file(path);
    }
    for rule in rules {
        builder = builder.rule(rule);
    }
    for receiver in receivers {
        builder = builder.shared_receiver(receiver);
    }
    for policy in policies {
        builder = builder.escalation_policy(policy);
    }
    for rule in inhibit_rules {
        builder = builder.inhibit(rule);
    }
    let manager = builder.build().map_err(|error| {
        let message = format!("the alerting sections do not form a valid alert manager: {error}");
        ConfigErrors::from_vec(vec![loaded.error_at("alerts", message)])
    })?;

    bridge.add_silences(&manager, settings);
    if !bridge.errors.is_empty() {
        return Err(ConfigErrors::from_vec(bridge.errors));
    }
    Ok(manager)
}

/// Builds the manager of `loaded`, or returns `None` when it has no alerting section.
pub(crate) fn prepare(loaded: &Loaded) -> Result<Option<AlertManager>, ConfigErrors> {
    if has_alerting(&loaded.settings) {
        build(loaded).map(Some)
    } else {
        Ok(None)
    }
}

/// Installs the manager that [`prepare`] built, replacing the installed one in one step. With
/// `None`, removes the installed manager only if the configuration installed it.
pub(crate) fn apply(manager: Option<AlertManager>) {
    let mut configured = CONFIGURED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match manager {
        Some(manager) => {
            let installed = super::install(manager);
            *configured = Some(Arc::downgrade(&installed));
            tracing::info!("alert manager of the configuration installed");
        }
        None => {
            let ours = configured.take().and_then(|weak| weak.upgrade());
            let installed = super::installed();
            if let (Some(ours), Some(installed)) = (ours, installed) {
                if Arc::ptr_eq(&ours, &installed) {
                    super::uninstall();
                    tracing::info!("the configuration has no alerting section any more; alert manager removed");
                }
            }
        }
    }
}

fn has_alerting(settings: &Settings) -> bool {
    !(settings.alerts.rules.is_empty()
        && settings.alerts.inhibit.is_empty()
        && settings.receivers.is_empty()
        && settings.routes.is_empty()
        && settings.silences.is_empty()
        && settings.escalation.is_empty())
}

/// The translation of one configuration, with the errors found so far.
struct Bridge<'a> {
    loaded: &'a Loaded,
    errors: Vec<ConfigError>,
}

/// A sink for the routes that only start an escalation policy.
#[derive(Debug)]
struct EscalationOnly;

impl Receiver for EscalationOnly {
    fn name(&self) -> &str {
        ESCALATION_ONLY_RECEIVER
    }

    fn send_resolved(&self) -> bool {
        false
    }

    fn send(&self, _notification: &Notification) -> Result<(), DeliveryError> {
        Ok(())
    }
}

impl Bridge<'_> {
    fn error(&mut self, path: &str, message: String) {
        self.errors.push(self.loaded.error_at(path, message));
    }

    fn rules(&mut self, settings: &Settings) -> Vec<AlertRule> {
        let flap = self.flap_detection(settings);
        let mut rules = Vec::new();
        for (name, rule) in settings.alerts.rules.iter().filter(|(_, rule)| rule.enabled) {
            let path = key("alerts.rules", name);
            let (mut alert_rule, condition_path) = match &rule.condition {
                AlertCondition::Expression { expr, recovery } => {
                    let mut alert_rule = AlertRule::new(name, &expr.text);
                    if let Some(recovery) = recovery {
                        alert_rule = alert_rule.recovery(&recovery.text);
                    }
                    (alert_rule, format!("{path}.expr"))
                }
                AlertCondition::Threshold { threshold } => {
                    let condition_path = format!("{path}.threshold");
                    let Some(definition) = settings.thresholds.get(threshold) else {
                        let message = format!(
                            "{condition_path}: alert rule {name:?} names threshold {threshold:?}, which is not defined; \
                             define it under [thresholds.{threshold}]"
                        );
                        self.error(&condition_path, message);
                        continue;
                    };
                    (threshold_rule(name, definition), condition_path)
                }
            };

            alert_rule = alert_rule
                .for_duration(rule.for_duration)
                .keep_firing_for(rule.keep_firing_for)
                .severity(severity(rule.severity))
                .no_data(no_data(rule.no_data));
            for (label, value) in &rule.labels {
                alert_rule = alert_rule.label(label, value);
            }
            for (annotation, template) in &rule.annotations {
                alert_rule = alert_rule.annotation(annotation, template);
            }
            if let Some((window, max_changes)) = flap {
                alert_rule = alert_rule.flap_detection(window, max_changes);
            }

            match alert_rule.clone().compile() {
                Ok(_) => rules.push(alert_rule),
                Err(error) => {
                    let message = format!("{condition_path}: alert rule {name:?} cannot be evaluated: {error}");
                    self.error(&condition_path, message);
                }
            }
        }
        rules
    }

    /// Returns the global flap setting of `[alerts]`, applied to every rule.
    fn flap_detection(&mut self, settings: &Settings) -> Option<(Duration, usize)> {
        let max_changes = usize::try_from(settings.alerts.flap_max_changes).unwrap_or(usize::MAX);
        if max_changes < 2 {
            let message = format!(
                "alerts.flap_max_changes: {max_changes} would mark every alert that fires as flapping; use 2 or more"
            );
            self.error("alerts.flap_max_changes", message);
            return None;
        }
        Some((settings.alerts.flap_window, max_changes))
    }

    fn receivers(&mut self, settings: &Settings) -> Vec<Arc<dyn Receiver>> {
        let mut receivers: Vec<Arc<dyn Receiver>> = Vec::new();
        for (name, receiver) in &settings.receivers {
            let path = key("receivers", name);
            if receiver.rate_limit.is_some() {
                let message = format!(
                    "{path}.rate_limit: the alert manager cannot rate-limit a receiver yet, so this limit would not \
                     be kept; remove it"
                );
                self.error(&format!("{path}.rate_limit"), message);
            }
            if let Some(receiver) = self.receiver(name, &receiver.kind, &path) {
                receivers.push(receiver);
            }
        }
        receivers.push(Arc::new(LogReceiver::new(UNROUTED_RECEIVER)));
        let escalates = settings.alerts.rules.values().any(|rule| rule.enabled && rule.escalation.is_some());
        if escalates {
            receivers.push(Arc::new(EscalationOnly));
        }
        receivers
    }

    fn receiver(&mut self, name: &str, kind: &ReceiverKind, path: &str) -> Option<Arc<dyn Receiver>> {
        match kind {
            ReceiverKind::Log { level } if level == "warn" => Some(Arc::new(LogReceiver::new(name))),
            ReceiverKind::Log { level } => {
                let message = format!(
                    "{path}.level: {level:?} is not supported; the log receiver logs firing alerts at warn and \
                     resolved ones at info, so set level = \"warn\" or remove it"
                );
                self.error(&format!("{path}.level"), message);
                None
            }
            ReceiverKind::File { path: file } => Some(Arc::new(FileReceiver::new(name, file))),
            ReceiverKind::Webhook { url, timeout, headers } => {
                let mut receiver = WebhookReceiver::new(name, url).timeout(*timeout);
                for (header, value) in headers {
                    let header_path = key(&format!("{path}.headers"), header);
                    if let Some(problem) = header_problem(header, value) {
                        self.error(&header_path, format!("{header_path}: {problem}"));
                    }
                    receiver = receiver.header(header, value);
                }
                Some(Arc::new(receiver))
            }
            ReceiverKind::Alertmanager { url, timeout } => {
                Some(Arc::new(AlertmanagerReceiver::new(name, url).timeout(*timeout)))
            }
            ReceiverKind::Callback { name: callback } => {
                let message = format!(
                    "{path}.kind: callback {callback:?} cannot be set up from the file, because perf has no \
                     registry of named callbacks yet; add a CallbackReceiver to an AlertManager built in the \
                     program, or use kind = \"webhook\""
                );
                self.error(&format!("{path}.kind"), message);
                None
            }
        }
    }

    /// Returns the retry policy that every receiver shares.
    fn retry(&mut self, settings: &Settings) -> RetryPolicy {
        let mut receivers = settings.receivers.iter();
        let Some((first_name, first)) = receivers.next() else {
            return RetryPolicy::default();
        };
        for (name, receiver) in receivers {
            if receiver.retry != first.retry {
                let path = format!("{}.retry", key("receivers", name));
                let message = format!(
                    "{path}: differs from the retry of receiver {first_name:?}; the alert manager has one retry \
                     policy for all receivers, so give every receiver the same retry, or none"
                );
                self.error(&path, message);
            }
        }

        let policy = &first.retry;
        let max_attempts = u32::try_from(policy.max_attempts).unwrap_or_else(|_| {
            let path = format!("{}.retry.max_attempts", key("receivers", first_name));
            self.error(
                &path,
                format!("{path}: {} attempts is too many; use at most {}", policy.max_attempts, u32::MAX),
            );
            u32::MAX
        });
        RetryPolicy {
            max_attempts,
            initial_backoff: policy.initial_backoff,
            max_backoff: policy.max_backoff,
            ..RetryPolicy::default()
        }
    }

    fn route(&mut self, settings: &Settings) -> Route {
        let mut root = Route::new(UNROUTED_RECEIVER).group_by(["alertname"]);
        for (name, rule) in settings.alerts.rules.iter().filter(|(_, rule)| rule.enabled) {
            if let Some(policy) = &rule.escalation {
                let route = Route::new(ESCALATION_ONLY_RECEIVER)
                    .matcher(Matcher::equal("alertname", name))
                    .escalation(policy)
                    .continue_matching(true);
                root = root.child(route);
            }
        }

        for (index, route) in settings.routes.iter().enumerate() {
            let path = format!("routes[{index}]");
            let mut child = Route::new(&route.receiver)
                .group_by(route.group_by.iter())
                .group_wait(route.group_wait)
                .group_interval(route.group_interval)
                .repeat_interval(route.repeat_interval)
                .continue_matching(route.continue_matching);
            for matcher in self.matchers(&route.matchers, &format!("{path}.matchers")) {
                child = child.matcher(matcher);
            }
            if let Some(policy) = &route.escalation {
                child = child.escalation(policy);
            }
            root = root.child(child);
        }
        root
    }

    fn escalation_policies(&mut self, settings: &Settings) -> Vec<EscalationPolicy> {
        let mut policies = Vec::new();
        for (name, policy) in &settings.escalation {
            let path = key("escalation", name);
            let Ok(repeat) = u32::try_from(policy.repeat) else {
                let message = format!("{path}.repeat: {} is too many repeats; use at most {}", policy.repeat, u32::MAX);
                self.error(&format!("{path}.repeat"), message);
                continue;
            };
            let mut converted = EscalationPolicy::new(name).repeat(repeat);
            converted.levels = escalation_levels(&policy.levels);
            policies.push(converted);
        }
        policies
    }

    fn inhibit_rules(&mut self, settings: &Settings) -> Vec<InhibitRule> {
        let mut rules = Vec::new();
        for (name, rule) in &settings.alerts.inhibit {
            let path = key("alerts.inhibit", name);
            let source = self.matchers(&rule.source_matchers, &format!("{path}.source_matchers"));
            let target = self.matchers(&rule.target_matchers, &format!("{path}.target_matchers"));
            rules.push(InhibitRule::new(source, target, rule.equal.iter()));
        }
        rules
    }

    fn add_silences(&mut self, manager: &AlertManager, settings: &Settings) {
        for (name, silence) in &settings.silences {
            let path = key("silences", name);
            let matchers = self.matchers(&silence.matchers, &format!("{path}.matchers"));
            let converted =
                Silence::new(matchers, silence.starts_at, silence.ends_at).by(&silence.created_by, &silence.comment);
            if let Err(error) = manager.add_silence(converted) {
                self.error(&path, format!("{path}: {error}"));
            }
        }
    }

    fn matchers(&mut self, matchers: &[crate::rule::Matcher], path: &str) -> Vec<Matcher> {
        let mut converted = Vec::new();
        for (index, matcher) in matchers.iter().enumerate() {
            match Matcher::new(&matcher.label, matcher.op, &matcher.value) {
                Ok(matcher) => converted.push(matcher),
                Err(error) => {
                    let element = format!("{path}[{index}]");
                    self.error(path, format!("{element}: {error}"));
                }
            }
        }
        converted
    }
}

/// Converts levels that each wait after the previous one (the first after the alert fires)
/// into levels that each wait before the next one, the first notified at once.
fn escalation_levels(levels: &[config::EscalationLevel]) -> Vec<EscalationLevel> {
    let mut converted = Vec::new();
    let first_delay = levels.first().map_or(Duration::ZERO, |level| level.delay);
    if !first_delay.is_zero() {
        converted.push(EscalationLevel { delay: first_delay, receivers: Vec::new() });
    }
    for (index, level) in levels.iter().enumerate() {
        // The last level waits 0, so that a repeat starts with the leading level, which waits
        // the first delay, or with the first level at once when that delay is 0.
        let delay = levels.get(index + 1).map_or(Duration::ZERO, |next| next.delay);
        converted.push(EscalationLevel { delay, receivers: level.receivers.clone() });
    }
    converted
}

/// Returns the rule that fires when the value of a threshold crosses it.
fn threshold_rule(name: &str, threshold: &Threshold) -> AlertRule {
    let metric = &threshold.metric.text;
    match &threshold.rule {
        ThresholdRule::Static { bound, recovery } => {
            let rule = AlertRule::new(name, compare(metric, *bound));
            match (recovery, bound) {
                (Some(level), Bound::Above(_)) => rule.recovery(format!("{metric} < {level}")),
                (Some(level), Bound::Below(_)) => rule.recovery(format!("{metric} > {level}")),
                (None, _) => rule,
            }
        }
        ThresholdRule::Ewma { lambda, k, direction, min_history, fallback } => {
            let above = format!("{metric} > ewma_upper({metric}, {k}, {lambda})");
            let below = format!("{metric} < ewma_lower({metric}, {k}, {lambda})");
            adaptive(name, sides(*direction, above, below), metric, *min_history, *fallback)
        }
        ThresholdRule::Zscore { window, k, direction, min_history, fallback } => {
            let score = format!("zscore({metric}, {})", format_duration(*window));
            let expr = match direction {
                Direction::Above => format!("{score} > {k}"),
                Direction::Below => format!("{score} < -{k}"),
                Direction::Both => format!("abs({score}) > {k}"),
            };
            adaptive(name, expr, metric, *min_history, *fallback)
        }
        ThresholdRule::Percentile { window, percentile, factor, direction, min_history, fallback } => {
            let baseline =
                format!("{factor} * rolling_percentile({metric}, {}, {})", percentile.0, format_duration(*window));
            let expr = sides(*direction, format!("{metric} > {baseline}"), format!("{metric} < {baseline}"));
            adaptive(name, expr, metric, *min_history, *fallback)
        }
        ThresholdRule::RateOfChange { window, bound } => {
            let change = format!("pct_change({metric}, {})", format_duration(*window));
            AlertRule::new(name, compare(&change, *bound))
        }
        ThresholdRule::Absence { for_duration } => {
            AlertRule::new(name, format!("absent({metric}, {})", format_duration(*for_duration)))
        }
    }
}

fn adaptive(name: &str, expr: String, metric: &str, min_history: u64, fallback: Option<Bound>) -> AlertRule {
    let mut rule = AlertRule::new(name, expr).min_samples(usize::try_from(min_history).unwrap_or(usize::MAX));
    if let Some(bound) = fallback {
        rule = rule.fallback(compare(metric, bound));
    }
    rule
}

fn compare(value: &str, bound: Bound) -> String {
    match bound {
        Bound::Above(level) => format!("{value} > {level}"),
        Bound::Below(level) => format!("{value} < {level}"),
    }
}

fn sides(direction: Direction, above: String, below: String) -> String {
    match direction {
        Direction::Above => above,
        Direction::Below => below,
        Direction::Both => format!("{above} or {below}"),
    }
}

fn severity(severity: config::Severity) -> Severity {
    match severity {
        config::Severity::Info => Severity::Info,
        config::Severity::Warning => Severity::Warning,
        config::Severity::Critical => Severity::Critical,
    }
}

fn no_data(state: NoDataState) -> NoDataPolicy {
    match state {
        NoDataState::NoData => NoDataPolicy::NoDataAlert,
        NoDataState::Firing => NoDataPolicy::Firing,
        NoDataState::Ok => NoDataPolicy::Ok,
        NoDataState::KeepLast => NoDataPolicy::KeepLast,
    }
}

/// Returns why a header cannot be sent, or `None`. A name must be an HTTP token (letters,
/// digits and ``!#$%&'*+-.^_`|~``), and a value must not contain a line break or other control
/// character.
fn header_problem(name: &str, value: &str) -> Option<String> {
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(token) {
        return Some(format!("invalid header name {name:?}; use letters, digits and - only, like \"Authorization\""));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Some(format!("the value of header {name:?} contains a control character; remove it"));
    }
    None
}

/// Returns the dotted path of `name` under `section`, quoted when it is not a bare key.
fn key(section: &str, name: &str) -> String {
    let bare = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        format!("{section}.{name}")
    } else {
        format!("{section}.{name:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Returns each level's delay in seconds and its number of receivers.
    fn levels_summary(levels: &[EscalationLevel]) -> Vec<(u64, usize)> {
        levels.iter().map(|level| (level.delay.as_secs(), level.receivers.len())).collect()
    }

    fn level(delay_secs: u64, receivers: &[&str]) -> config::EscalationLevel {
        config::EscalationLevel {
            delay: Duration::from_secs(delay_secs),
            receivers: receivers.iter().map(|name| (*name).to_owned()).collect(),
        }
    }

    #[test]
    fn escalation_levels_first_delay_zero() {
        // File: A at 0 s, B 900 s after A. Manager: A at once and waits 900 s, then B.
        let converted = escalation_levels(&[level(0, &["a"]), level(900, &["b"])]);
        assert_eq!(levels_summary(&converted), vec![(900, 1), (0, 1)]);
    }

    #[test]
    fn escalation_levels_first_delay_leading_level() {
        // File: A 60 s after firing, B 300 s after A. Manager: no receiver at once, A after 60 s,
        // B 300 s after A.
        let converted = escalation_levels(&[level(60, &["a"]), level(300, &["b"])]);
        assert_eq!(levels_summary(&converted), vec![(60, 0), (300, 1), (0, 1)]);
    }

    #[test]
    fn header_problem_rejects_line_break() {
        assert!(header_problem("X-Token", "a\r\nInjected: yes").is_some());
    }

    #[test]
    fn header_problem_accepts_authorization() {
        assert_eq!(header_problem("Authorization", "Bearer abc"), None);
    }

    #[test]
    fn threshold_rule_percentile_compiles() {
        let (expr, dimension) = crate::rule::parse_value("p99(latency)").expect("valid metric");
        let threshold = Threshold {
            metric: crate::config::Expression { text: "p99(latency)".to_owned(), expr },
            dimension,
            rule: ThresholdRule::Percentile {
                window: Duration::from_secs(3600),
                percentile: crate::config::units::Ratio(0.95),
                factor: 1.5,
                direction: Direction::Both,
                min_history: 10,
                fallback: None,
            },
        };
        let rule = threshold_rule("Drift", &threshold);
        assert!(rule.compile().is_ok(), "{threshold:?}");
    }
}
