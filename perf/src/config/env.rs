//! Environment overrides: `PERF_<SECTION>__<KEY>=value` sets one key.
//!
//! The name after `PERF_` is split at double underscores and lowercased, so
//! `PERF_COLLECTOR__INTERVAL=250ms` sets `collector.interval` and
//! `PERF_CACHES__MATCH__SESSIONS__ENABLED=false` sets `caches.match.sessions.enabled`. The value
//! is read as a TOML value when it is one (`false`, `3`, `"text"`, `["a", "b"]`) and as a
//! string otherwise (`250ms`, `127.0.0.1:9898`). Variables without a double underscore, such
//! as `PERF_PROFILE`, are not overrides.
//!
//! Each variable becomes a one-line source `<env NAME>` whose text is `NAME=value`, so an
//! error in it has a line and a column like an error in the file.

use toml::de::DeTable;

use super::error::ErrorSink;
use super::source::{Source, SourceId, Sources};
use super::tree::{Layer, Node, Origin, Table, Value};

/// Prefix of every variable this crate reads.
pub(crate) const PREFIX: &str = "PERF_";

/// Name of the variable that selects a profile.
pub const PROFILE_VAR: &str = "PERF_PROFILE";

/// One parsed override: the key path with the origin of each segment, and the value.
pub(crate) struct EnvOverride {
    pub(crate) path: Vec<(String, Origin)>,
    pub(crate) node: Node,
}

/// Returns the variables that are overrides, sorted by name so that the result does not
/// depend on the order of the environment.
pub(crate) fn override_vars(vars: &[(String, String)]) -> Vec<(String, String)> {
    let mut overrides: Vec<(String, String)> =
        vars.iter().filter(|(name, _)| name.starts_with(PREFIX) && name.contains("__")).cloned().collect();
    overrides.sort();
    overrides
}

/// Adds a source for each override variable, to build the overrides once every source is in.
pub(crate) fn add_sources(vars: &[(String, String)], sources: &mut Sources) -> Vec<(SourceId, String, String)> {
    let mut added = Vec::new();
    for (name, value) in override_vars(vars) {
        let id = sources.add(Source::new(format!("<env {name}>"), format!("{name}={value}")));
        added.push((id, name, value));
    }
    added
}

/// Builds the override of one variable whose source was added by [`add_sources`]; a malformed
/// name is reported.
pub(crate) fn build_override(
    source: SourceId,
    name: &str,
    value: &str,
    sink: &mut ErrorSink<'_>,
) -> Option<EnvOverride> {
    let layer = Layer::Env;
    let rest = &name[PREFIX.len()..];

    let mut path = Vec::new();
    let mut offset = PREFIX.len();
    for segment in rest.split("__") {
        let span = offset..offset + segment.len();
        offset += segment.len() + 2;
        if segment.is_empty() {
            let message = format!("{name}: empty key between double underscores; write PERF_<SECTION>__<KEY>, like PERF_COLLECTOR__INTERVAL");
            sink.push(source, span.start.saturating_sub(1)..span.end, name, message);
            return None;
        }
        path.push((segment.to_ascii_lowercase(), Origin { source, span, layer: layer.clone() }));
    }

    let value_start = name.len() + 1;
    let text = format!("{name}={value}");
    let parsed = DeTable::parse(&text).ok().and_then(|table| {
        let (_, node) = table.get_ref().iter().next()?;
        let mut silent_sources = Sources::default();
        silent_sources.add(Source::new("", ""));
        let mut silent = ErrorSink::new(&silent_sources);
        let converted = Node::from_toml(node, source, &layer, &mut silent);
        (!silent.has_errors()).then_some(converted)
    });
    let node = parsed.unwrap_or_else(|| Node {
        value: Value::String(value.to_owned()),
        origin: Origin { source, span: value_start..value_start + value.len(), layer },
    });
    Some(EnvOverride { path, node })
}

/// Lays the overrides over `root`.
pub(crate) fn apply(root: &mut Table, overrides: Vec<EnvOverride>) {
    for item in overrides {
        root.set_path(&item.path, item.node);
    }
}
