//! Profiles: `[profiles.NAME]` tables laid over the top level of the file, each optionally
//! extending another.
//!
//! ```toml
//! [profiles.staging.collector]
//! interval = "5s"
//!
//! [profiles.production]
//! extends = "staging"
//! http = { enabled = true }
//! ```
//!
//! Selecting `production` lays `staging` over the top level, then `production` over that.
//! An unknown name in `extends` and a cycle of `extends` are reported for every profile,
//! selected or not.

use super::error::ErrorSink;
use super::suggest;
use super::tree::{Entry, Layer, Node, Origin, Table, Value};

/// One profile of the file.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub(crate) name: String,
    pub(crate) extends: Option<(String, Origin)>,
    pub(crate) table: Table,
}

/// Reads the `profiles` entry of the file, re-labelling each profile's values with its layer.
pub(crate) fn read(entry: Option<Entry>, sink: &mut ErrorSink<'_>) -> Vec<Profile> {
    let Some(entry) = entry else {
        return Vec::new();
    };
    let Value::Table(table) = entry.node.value else {
        let origin = entry.node.origin;
        sink.push(
            origin.source,
            origin.span,
            "profiles",
            "profiles: expected a table of profiles, like [profiles.production]".to_owned(),
        );
        return Vec::new();
    };

    let mut profiles = Vec::new();
    for profile in table.entries {
        let key = format!("profiles.{}", profile.key);
        let origin = profile.node.origin.clone();
        let Value::Table(mut body) = profile.node.value else {
            sink.push(
                origin.source,
                origin.span,
                &key,
                format!("{key}: expected a table of settings, like [{key}.collector]"),
            );
            continue;
        };
        relabel(&mut body, &Layer::Profile(profile.key.as_str().into()));

        let extends = match body.remove("extends") {
            None => None,
            Some(Entry { node: Node { value: Value::String(parent), origin }, .. }) => Some((parent, origin)),
            Some(Entry { node, .. }) => {
                let message = format!(
                    "{key}.extends: expected the name of another profile as a string, found {}",
                    node.type_name()
                );
                sink.push(node.origin.source, node.origin.span, &format!("{key}.extends"), message);
                None
            }
        };
        profiles.push(Profile { name: profile.key, extends, table: body });
    }
    profiles
}

/// Reports every `extends` naming a profile that does not exist, and every cycle once.
pub(crate) fn check_extends(profiles: &[Profile], sink: &mut ErrorSink<'_>) {
    let names: Vec<&str> = profiles.iter().map(|profile| profile.name.as_str()).collect();
    for profile in profiles {
        let Some((parent, origin)) = &profile.extends else {
            continue;
        };
        if !names.contains(&parent.as_str()) {
            let key = format!("profiles.{}.extends", profile.name);
            let message = format!("{key}: unknown profile {parent:?}{}", known_profiles(parent, &names));
            sink.push(origin.source, origin.span.clone(), &key, message);
        }
    }

    let mut reported: Vec<Vec<String>> = Vec::new();
    for profile in profiles {
        let Some(cycle) = find_cycle(profiles, &profile.name) else {
            continue;
        };
        let mut members = cycle.clone();
        members.sort();
        if reported.contains(&members) {
            continue;
        }
        reported.push(members);

        let first = cycle.iter().min().cloned().unwrap_or_default();
        let start = cycle.iter().position(|name| *name == first).unwrap_or(0);
        let mut path: Vec<&str> = cycle[start..].iter().chain(&cycle[..start]).map(String::as_str).collect();
        path.push(&first);
        let owner = profiles.iter().find(|profile| profile.name == first);
        if let Some((_, origin)) = owner.and_then(|profile| profile.extends.as_ref()) {
            let key = format!("profiles.{first}.extends");
            let message =
                format!("{key}: profiles extend each other in a cycle: {}; remove one `extends`", path.join(" -> "));
            sink.push(origin.source, origin.span.clone(), &key, message);
        }
    }
}

/// Returns the profiles to lay over the top level for `selected`, the most distant ancestor
/// first. Returns `None` when the chain is broken, which [`check_extends`] reports.
pub(crate) fn chain<'p>(profiles: &'p [Profile], selected: &str) -> Option<Vec<&'p Profile>> {
    let mut chain = Vec::new();
    let mut current = profiles.iter().find(|profile| profile.name == selected)?;
    loop {
        if chain.iter().any(|seen: &&Profile| seen.name == current.name) {
            return None;
        }
        chain.push(current);
        let Some((parent, _)) = &current.extends else {
            break;
        };
        current = profiles.iter().find(|profile| profile.name == *parent)?;
    }
    chain.reverse();
    Some(chain)
}

/// Returns `"; did you mean ...? (defined: ...)"` for an unknown profile name.
pub(crate) fn known_profiles(name: &str, names: &[&str]) -> String {
    let hint = suggest::did_you_mean(name, names.iter().copied());
    if names.is_empty() {
        format!("{hint}; no profile is defined, add [profiles.{name}] to the file")
    } else {
        format!("{hint} (defined: {})", names.join(", "))
    }
}

/// Returns the cycle that following `extends` from `start` runs into, if it comes back to
/// `start`.
fn find_cycle(profiles: &[Profile], start: &str) -> Option<Vec<String>> {
    let mut path = vec![start.to_owned()];
    let mut current = start;
    loop {
        let profile = profiles.iter().find(|profile| profile.name == current)?;
        let (parent, _) = profile.extends.as_ref()?;
        if parent == start {
            return Some(path);
        }
        if path.contains(parent) {
            return None;
        }
        path.push(parent.clone());
        current = parent;
    }
}

fn relabel(table: &mut Table, layer: &Layer) {
    for entry in &mut table.entries {
        entry.key_origin.layer = layer.clone();
        relabel_node(&mut entry.node, layer);
    }
}

fn relabel_node(node: &mut Node, layer: &Layer) {
    node.origin.layer = layer.clone();
    match &mut node.value {
        Value::Table(table) => relabel(table, layer),
        Value::Array(elements) => elements.iter_mut().for_each(|element| relabel_node(element, layer)),
        _ => {}
    }
}
