//! Alert rules: a condition over metrics and how its alerts behave.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::template::Template;
use super::AlertError;
use crate::event::Severity;
use crate::threshold::{EvalSettings, Evaluator, Labels};

/// An alert rule, built with chained setters.
///
/// ```
/// use std::time::Duration;
/// use perf::alert::AlertRule;
/// use perf::event::Severity;
///
/// let rule = AlertRule::new("CheckoutSlow", r#"p99(latency{site="shop::checkout"}) > 250ms"#)
///     .for_duration(Duration::from_secs(60))
///     .severity(Severity::Critical)
///     .label("team", "shop")
///     .annotation("summary", "p99 of {{ $labels.site }} is {{ $value }}s");
/// # let _ = rule;
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRule {
    /// Name of the rule, also the `alertname` label of its alerts.
    pub name: String,
    /// The condition, a rule expression such as `rate(calls) > 10/s`.
    pub expr: String,
    /// Hysteresis: a separate condition that must hold for a pending or firing alert to clear.
    /// While neither condition holds, nothing changes.
    pub recovery: Option<String>,
    /// Condition used for a series whose adaptive threshold is still learning, such as
    /// `p99(latency) > 250ms`; without it such a series stays silent.
    pub fallback: Option<String>,
    /// How long the condition must hold before the alert fires (Prometheus `for`).
    pub for_duration: Duration,
    /// How long a firing alert keeps firing after its condition cleared.
    pub keep_firing_for: Duration,
    /// Severity, also the `severity` label unless `labels` sets one.
    pub severity: Severity,
    /// Labels added to every alert of the rule (they override the series' labels).
    pub labels: Labels,
    /// Annotations, with `{{ $value }}` and `{{ $labels.NAME }}` placeholders.
    pub annotations: Labels,
    /// Behaviour when the expression has no data at all.
    pub no_data: NoDataPolicy,
    /// Earlier samples an adaptive threshold needs before it compares.
    pub min_samples: usize,
    /// Marks alerts that change state too often.
    pub flap_detection: Option<FlapDetection>,
}

/// The behaviour of a rule whose expression matches no series at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoDataPolicy {
    /// Raise a separate alert with the rule's labels and `nodata="true"`, through pending and
    /// firing like any other.
    NoDataAlert,
    /// Treat the condition as holding for every alert of the rule (one with the rule's labels
    /// when there is none).
    Firing,
    /// Treat the condition as not holding, as Prometheus does with an empty result.
    #[default]
    Ok,
    /// Change nothing until data comes back.
    KeepLast,
}

/// Flap detection: an alert that fires or resolves at least `max_changes` times within
/// `window` is flapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlapDetection {
    /// The window the changes are counted over.
    pub window: Duration,
    /// Changes (fired, resolved) within the window at which the alert is flapping.
    pub max_changes: usize,
}

/// A rule with its expressions parsed and its templates checked.
#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) rule: AlertRule,
    pub(crate) trigger: Evaluator,
    pub(crate) recovery: Option<Evaluator>,
    pub(crate) fallback: Option<Evaluator>,
    pub(crate) annotations: Vec<(String, Template)>,
}

impl AlertRule {
    /// Creates a rule named `name` with the condition `expr`, firing at once, severity
    /// `warning`.
    pub fn new(name: impl Into<String>, expr: impl Into<String>) -> Self {
        AlertRule {
            name: name.into(),
            expr: expr.into(),
            recovery: None,
            fallback: None,
            for_duration: Duration::ZERO,
            keep_firing_for: Duration::ZERO,
            severity: Severity::Warning,
            labels: Labels::new(),
            annotations: Labels::new(),
            no_data: NoDataPolicy::default(),
            min_samples: EvalSettings::default().min_samples,
            flap_detection: None,
        }
    }

    /// Sets `for`.
    pub fn for_duration(mut self, duration: Duration) -> Self {
        self.for_duration = duration;
        self
    }

    /// Sets `keep_firing_for`.
    pub fn keep_firing_for(mut self, duration: Duration) -> Self {
        self.keep_firing_for = duration;
        self
    }

    /// Sets the recovery condition.
    pub fn recovery(mut self, expr: impl Into<String>) -> Self {
        self.recovery = Some(expr.into());
        self
    }

    /// Sets the fallback condition used while adaptive thresholds learn.
    pub fn fallback(mut self, expr: impl Into<String>) -> Self {
        self.fallback = Some(expr.into());
        self
    }

    /// Sets the severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Adds a label.
    pub fn label(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(name.into(), value.into());
        self
    }

    /// Adds an annotation.
    pub fn annotation(mut self, name: impl Into<String>, template: impl Into<String>) -> Self {
        self.annotations.insert(name.into(), template.into());
        self
    }

    /// Sets the no-data policy.
    pub fn no_data(mut self, policy: NoDataPolicy) -> Self {
        self.no_data = policy;
        self
    }

    /// Sets the history adaptive thresholds need.
    pub fn min_samples(mut self, samples: usize) -> Self {
        self.min_samples = samples;
        self
    }

    /// Turns on flap detection.
    pub fn flap_detection(mut self, window: Duration, max_changes: usize) -> Self {
        self.flap_detection = Some(FlapDetection { window, max_changes });
        self
    }

    /// Parses the expressions and checks the templates and names.
    pub(crate) fn compile(self) -> Result<CompiledRule, AlertError> {
        if self.name.is_empty() {
            return Err(AlertError::Invalid(format!(
                "an alert rule has an empty name (expr {:?}); name it",
                self.expr
            )));
        }
        if let Some(flap) = &self.flap_detection {
            if flap.max_changes < 2 || flap.window.is_zero() {
                return Err(AlertError::Invalid(format!(
                    "alert rule {:?}: flap detection needs a window above 0 and max_changes of 2 or more, found {:?} and {}",
                    self.name, flap.window, flap.max_changes
                )));
            }
        }

        let settings = EvalSettings { min_samples: self.min_samples };
        let parse = |field: &'static str, text: &str| {
            crate::rule::parse_condition(text).map(|expr| Evaluator::new(expr, settings)).map_err(|errors| {
                AlertError::Expression { rule: self.name.clone(), field, expr: text.to_owned(), errors }
            })
        };
        let trigger = parse("expr", &self.expr)?;
        let recovery = self.recovery.as_deref().map(|text| parse("recovery", text)).transpose()?;
        let fallback = self.fallback.as_deref().map(|text| parse("fallback", text)).transpose()?;

        let mut annotations = Vec::new();
        for (name, text) in &self.annotations {
            let template = Template::parse(text).map_err(|message| {
                AlertError::Invalid(format!("alert rule {:?}: annotation {name:?}: {message}", self.name))
            })?;
            annotations.push((name.clone(), template));
        }
        Ok(CompiledRule { rule: self, trigger, recovery, fallback, annotations })
    }
}
