//! The typed configuration: one plain struct per section of the file.
//!
//! The alerting sections (alert rules, receivers, routes, silences, escalation policies and the
//! thresholds that rules name) drive the alert manager through [`crate::alert::from_config`].
//! Some sections have no reader in the runtime yet: exports and the HTTP endpoint. They are
//! still read and validated in full, so that a mistake is reported when the file is loaded.
//! Their future readers find typed values in [`crate::config::current`].

mod alerts;
mod caches;
mod collector;
mod escalation;
mod exports;
mod expression;
mod receivers;
mod reload;
mod routes;
mod silences;
mod sites;
mod thresholds;

use std::collections::BTreeMap;

use serde::Serialize;

pub use alerts::{AlertCondition, AlertRule, AlertSettings, InhibitRule, NoDataState, Severity};
pub use caches::{CachePolicy, CacheRule, CacheSettings, HealthBounds};
pub use collector::{CollectorSettings, RetentionTier};
pub use escalation::{EscalationLevel, EscalationPolicy};
pub use exports::{Export, ExportFormat, HttpSettings};
pub use expression::Expression;
pub use receivers::{Receiver, ReceiverKind, RetryPolicy};
pub use reload::{ReloadSettings, WatchMode};
pub use routes::Route;
pub use silences::Silence;
pub use sites::{MatchRule, MatchSettings, SitePolicy};
pub use thresholds::{Bound, Direction, Threshold, ThresholdRule};

use super::decode::{Decoder, ReferenceKind};
use super::suggest;
use super::tree::{Node, Origin, Table, Value};

/// The whole configuration, after profiles and overrides are applied.
///
/// ```
/// let settings = perf::config::Settings::default();
/// assert_eq!(settings.collector.interval, std::time::Duration::from_secs(1));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Settings {
    /// `[collector]`.
    pub collector: CollectorSettings,
    /// `[sites]`.
    pub sites: MatchSettings,
    /// `[components]`.
    pub components: MatchSettings,
    /// `[caches]`.
    pub caches: CacheSettings,
    /// `[alerts]`.
    pub alerts: AlertSettings,
    /// `[receivers.NAME]`.
    pub receivers: BTreeMap<String, Receiver>,
    /// `[[routes]]`, in order.
    pub routes: Vec<Route>,
    /// `[silences.NAME]`.
    pub silences: BTreeMap<String, Silence>,
    /// `[escalation.NAME]`.
    pub escalation: BTreeMap<String, EscalationPolicy>,
    /// `[thresholds.NAME]`.
    pub thresholds: BTreeMap<String, Threshold>,
    /// `[exports.NAME]`.
    pub exports: BTreeMap<String, Export>,
    /// `[http]`.
    pub http: HttpSettings,
    /// `[reload]`.
    pub reload: ReloadSettings,
}

impl Settings {
    /// Returns the policy of the configuration for a site of `component`: monitoring on or
    /// off, the slow-call threshold and labels.
    pub fn site_policy(&self, name: &str, component: &str) -> SitePolicy {
        sites::resolve(&self.sites, &self.components, name, component)
    }

    /// Returns the policy of the configuration for the cache `name`.
    pub fn cache_policy(&self, name: &str) -> CachePolicy {
        self.caches.policy(name)
    }
}

/// Decodes the merged tree, then checks the references between sections.
pub(crate) fn decode(cx: &mut Decoder<'_>, root: &Node) -> Settings {
    let mut settings = Settings::default();
    let Some(mut fields) = cx.fields(root, "") else {
        return settings;
    };

    let empty = Node { value: Value::Table(Table::default()), origin: root.origin.clone() };
    let section =
        |fields: &mut super::decode::Fields<'_>, key: &'static str| fields.take(key).unwrap_or(&empty).clone();

    settings.collector = collector::decode(cx, &section(&mut fields, "collector"), "collector");
    settings.sites = sites::decode(cx, &section(&mut fields, "sites"), "sites");
    settings.components = sites::decode(cx, &section(&mut fields, "components"), "components");
    settings.caches = caches::decode(cx, &section(&mut fields, "caches"), "caches");
    settings.alerts = alerts::decode(cx, &section(&mut fields, "alerts"), "alerts");
    settings.receivers = cx.named(&section(&mut fields, "receivers"), "receivers", receivers::decode);
    if let Some(routes) = fields.take("routes") {
        settings.routes = cx.array(routes, "routes", routes::decode).unwrap_or_default();
    }
    settings.silences = cx.named(&section(&mut fields, "silences"), "silences", silences::decode);
    settings.escalation = cx.named(&section(&mut fields, "escalation"), "escalation", escalation::decode);
    settings.thresholds = cx.named(&section(&mut fields, "thresholds"), "thresholds", thresholds::decode);
    settings.exports = cx.named(&section(&mut fields, "exports"), "exports", exports::decode_export);
    settings.http = exports::decode_http(cx, &section(&mut fields, "http"), "http");
    settings.reload = reload::decode(cx, &section(&mut fields, "reload"), "reload");
    fields.finish(cx);

    check_references(cx, root);
    settings
}

/// Reports every reference to a receiver, escalation policy or threshold that is not defined,
/// with the closest defined name.
fn check_references(cx: &mut Decoder<'_>, root: &Node) {
    let references = std::mem::take(&mut cx.references);
    let defined_in_file = |section: &str| -> Vec<String> {
        let table = root.as_table().and_then(|table| table.get(section)).and_then(|entry| entry.node.as_table());
        table.map(|table| table.entries.iter().map(|entry| entry.key.clone()).collect()).unwrap_or_default()
    };

    for reference in references {
        let (defined, what, section): (Vec<String>, &str, &str) = match reference.kind {
            ReferenceKind::Receiver => (defined_in_file("receivers"), "receiver", "receivers"),
            ReferenceKind::EscalationPolicy => (defined_in_file("escalation"), "escalation policy", "escalation"),
            ReferenceKind::Threshold => (defined_in_file("thresholds"), "threshold", "thresholds"),
        };
        if defined.contains(&reference.name) {
            continue;
        }
        report_unknown(cx, &reference.origin, &reference.key, &reference.name, what, section, &defined);
    }
}

fn report_unknown(
    cx: &mut Decoder<'_>,
    origin: &Origin,
    key: &str,
    name: &str,
    what: &str,
    section: &str,
    defined: &[String],
) {
    let hint = suggest::did_you_mean(name, defined.iter().map(String::as_str));
    let known =
        if defined.is_empty() { "none is defined".to_owned() } else { format!("defined: {}", defined.join(", ")) };
    let message = format!("{key}: unknown {what} {name:?}{hint} ({known}); define it under [{section}.{name}]");
    cx.error(origin, key, message);
}
