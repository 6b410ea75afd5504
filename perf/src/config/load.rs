//! Loading: the file, the selected profile, environment overrides and API overrides, merged
//! in that order and decoded into [`Settings`], with every error of every layer.

use std::path::Path;
use std::sync::Arc;

use toml::de::DeTable;

use super::decode::Decoder;
use super::env;
use super::error::{ConfigError, ConfigErrors, ErrorSink};
use super::profiles;
use super::provenance::Provenance;
use super::schema::{self, Settings};
use super::source::{Source, SourceId, Sources};
use super::tree::{Layer, Node, Origin, Table, Value};

/// Options of a load: the profile, the environment and runtime overrides.
///
/// ```
/// let options = perf::config::LoadOptions::new().profile("production").without_env();
/// # let _ = options;
/// ```
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    profile: Option<(String, ProfileOrigin)>,
    env: Option<Vec<(String, String)>>,
    overrides: Vec<(String, String)>,
}

/// Source of the name of the selected profile, for the position of its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProfileOrigin {
    Api,
    CommandLine,
}

/// A loaded configuration, with the source of every value.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The effective settings.
    pub settings: Arc<Settings>,
    /// The profile applied, if any.
    pub profile: Option<String>,
    provenance: Provenance,
}

impl LoadOptions {
    /// Returns options with no profile chosen (`PERF_PROFILE` still applies), reading
    /// overrides from the environment of the process.
    pub fn new() -> Self {
        LoadOptions::default()
    }

    /// Selects a profile through the API; takes precedence over `PERF_PROFILE`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some((name.into(), ProfileOrigin::Api));
        self
    }

    /// Selects a profile given on the command line; takes precedence over `PERF_PROFILE`.
    pub fn command_line_profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some((name.into(), ProfileOrigin::CommandLine));
        self
    }

    /// Reads `PERF_*` variables from `vars` instead of the environment of the process.
    pub fn env_vars<K: Into<String>, V: Into<String>>(mut self, vars: impl IntoIterator<Item = (K, V)>) -> Self {
        self.env = Some(vars.into_iter().map(|(name, value)| (name.into(), value.into())).collect());
        self
    }

    /// Ignores the environment: no `PERF_PROFILE`, no `PERF_<SECTION>__<KEY>` override.
    pub fn without_env(self) -> Self {
        self.env_vars(Vec::<(String, String)>::new())
    }

    /// Sets one key above every other layer. `path` is a dotted TOML key such as
    /// `thresholds.checkout_p99.above` or `sites.match."shop::*".enabled`, and `value` a TOML
    /// value such as `"300ms"` (with the quotes) or `false`.
    pub fn set(mut self, path: impl Into<String>, value: impl Into<String>) -> Self {
        self.overrides.push((path.into(), value.into()));
        self
    }

    pub(crate) fn overrides(&self) -> &[(String, String)] {
        &self.overrides
    }

    pub(crate) fn with_overrides(mut self, overrides: Vec<(String, String)>) -> Self {
        self.overrides = overrides;
        self
    }

    fn vars(&self) -> Vec<(String, String)> {
        match &self.env {
            Some(vars) => vars.clone(),
            None => std::env::vars().filter(|(name, _)| name.starts_with(env::PREFIX)).collect(),
        }
    }
}

impl Loaded {
    /// Returns the effective configuration as `key = value  # source` lines, one per value,
    /// defaults included.
    pub fn describe(&self) -> String {
        self.provenance.describe(&self.settings)
    }

    /// Returns where the value at a dotted path was set: `perf.toml:3:12`,
    /// `perf.toml:40:12 (profile production)`, `env PERF_HTTP__LISTEN`, `api` or `default`.
    pub fn source_of(&self, path: &str) -> String {
        self.provenance.source_of(path)
    }

    /// Builds an error at the place where the value at a dotted path was written.
    pub(crate) fn error_at(&self, path: &str, message: String) -> ConfigError {
        self.provenance.error_at(path, message)
    }
}

/// Reads and loads a configuration file.
///
/// ```no_run
/// let loaded = perf::config::load_file("perf.toml", &perf::config::LoadOptions::new())?;
/// println!("{}", loaded.describe());
/// # Ok::<(), perf::config::ConfigErrors>(())
/// ```
pub fn load_file(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Loaded, ConfigErrors> {
    let path = path.as_ref();
    let text = read_file(path)?;
    load_str(&path.display().to_string(), &text, options)
}

/// Loads a configuration from text; `name` is used as the file name in errors.
///
/// ```
/// let text = "[collector]\ninterval = \"250ms\"\nretention = [{ resolution = \"1s\", keep = \"1h\" }]\n";
/// let loaded = perf::config::load_str("perf.toml", text, &perf::config::LoadOptions::new().without_env()).unwrap();
/// assert_eq!(loaded.settings.collector.interval, std::time::Duration::from_millis(250));
///
/// let errors = perf::config::load_str("perf.toml", "[collector]\ninterval = \"-5s\"\n", &Default::default()).unwrap_err();
/// assert_eq!(errors.errors()[0].to_string(), "perf.toml:2:12: collector.interval: a duration \"-5s\" is negative; use 0 or more");
/// ```
pub fn load_str(name: &str, text: &str, options: &LoadOptions) -> Result<Loaded, ConfigErrors> {
    let profile = selected_profile(options);
    load_with_profile(name, text, options, profile)
}

/// Validates the configuration with no profile and with each profile of the file (or with the
/// profile of `options` or `PERF_PROFILE` only, when one is chosen), and returns every error.
pub fn check_str(name: &str, text: &str, options: &LoadOptions) -> Result<Vec<Loaded>, ConfigErrors> {
    if let Some(profile) = selected_profile(options) {
        return load_with_profile(name, text, options, Some(profile)).map(|loaded| vec![loaded]);
    }

    let mut loads = vec![load_with_profile(name, text, options, None)];
    for profile in profile_names(text) {
        let selection = Selection { name: profile, source: SelectionSource::Check };
        loads.push(load_with_profile(name, text, options, Some(selection)));
    }

    let mut errors = Vec::new();
    let mut loaded = Vec::new();
    for load in loads {
        match load {
            Ok(load) => loaded.push(load),
            Err(load_errors) => errors.extend(load_errors),
        }
    }
    if errors.is_empty() {
        Ok(loaded)
    } else {
        Err(ConfigErrors::from_vec(errors))
    }
}

/// Reads a file and validates it as [`check_str`] does.
pub fn check_file(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Vec<Loaded>, ConfigErrors> {
    let path = path.as_ref();
    let text = read_file(path)?;
    check_str(&path.display().to_string(), &text, options)
}

struct Selection {
    name: String,
    source: SelectionSource,
}

enum SelectionSource {
    Api,
    CommandLine,
    Env,
    /// Every profile in turn, by `check`: the name comes from the file itself.
    Check,
}

fn selected_profile(options: &LoadOptions) -> Option<Selection> {
    if let Some((name, origin)) = &options.profile {
        let source = match origin {
            ProfileOrigin::Api => SelectionSource::Api,
            ProfileOrigin::CommandLine => SelectionSource::CommandLine,
        };
        return Some(Selection { name: name.clone(), source });
    }
    let from_env = options.vars().into_iter().find(|(name, _)| name == env::PROFILE_VAR)?.1;
    (!from_env.is_empty()).then_some(Selection { name: from_env, source: SelectionSource::Env })
}

fn profile_names(text: &str) -> Vec<String> {
    let (table, _) = DeTable::parse_recoverable(text);
    let profiles = table.get_ref().get("profiles").map(|value| value.get_ref().clone());
    match profiles {
        Some(toml::de::DeValue::Table(profiles)) => {
            profiles.iter().map(|(name, _)| name.get_ref().to_string()).collect()
        }
        _ => Vec::new(),
    }
}

fn read_file(path: &Path) -> Result<String, ConfigErrors> {
    std::fs::read_to_string(path).map_err(|error| {
        ConfigErrors::from_vec(vec![ConfigError {
            file: path.display().to_string(),
            line: 1,
            column: 1,
            span: 0..0,
            key: String::new(),
            message: format!("failed to read the configuration file: {error}"),
        }])
    })
}

fn load_with_profile(
    name: &str,
    text: &str,
    options: &LoadOptions,
    profile: Option<Selection>,
) -> Result<Loaded, ConfigErrors> {
    let mut sources = Sources::default();
    let file = sources.add(Source::new(name, text));
    let vars = options.vars();
    let env_sources = env::add_sources(&vars, &mut sources);
    let selection = profile.map(|selection| add_selection_source(selection, file, &mut sources));
    let override_sources: Vec<SourceId> = options
        .overrides
        .iter()
        .map(|(path, value)| sources.add(Source::new("<api>", format!("{path} = {value}"))))
        .collect();

    let mut sink = ErrorSink::new(&sources);
    let (document, syntax_errors) = DeTable::parse_recoverable(text);
    for error in syntax_errors {
        let span = error.span().unwrap_or(0..0);
        sink.push(file, span, "", format!("invalid TOML: {}", error.message()));
    }
    let mut root = Table::from_toml(document.get_ref(), file, &Layer::Base, &mut sink);

    let profiles = profiles::read(root.remove("profiles"), &mut sink);
    profiles::check_extends(&profiles, &mut sink);
    let applied = match &selection {
        Some((name, origin)) => apply_profile(&mut root, &profiles, name, origin, &mut sink),
        None => None,
    };

    let overrides: Vec<_> = env_sources
        .iter()
        .filter_map(|(source, name, value)| env::build_override(*source, name, value, &mut sink))
        .collect();
    env::apply(&mut root, overrides);
    for source in override_sources {
        apply_api_override(&mut root, source, &mut sink);
    }

    let root = Node { value: Value::Table(root), origin: Origin { source: file, span: 0..0, layer: Layer::Base } };
    let mut decoder = Decoder::new(sink);
    let settings = schema::decode(&mut decoder, &root);
    let errors = decoder.sink.into_errors();
    if !errors.is_empty() {
        return Err(ConfigErrors::from_vec(errors));
    }

    Ok(Loaded { settings: Arc::new(settings), profile: applied, provenance: Provenance::new(sources, root) })
}

/// Adds the source that names the selected profile, and returns the name with its origin.
fn add_selection_source(selection: Selection, file: SourceId, sources: &mut Sources) -> (String, Origin) {
    let (source_name, prefix) = match selection.source {
        SelectionSource::Api => ("<api>".to_owned(), "profile = ".to_owned()),
        SelectionSource::CommandLine => ("<command line>".to_owned(), "--profile ".to_owned()),
        SelectionSource::Env => (format!("<env {}>", env::PROFILE_VAR), format!("{}=", env::PROFILE_VAR)),
        SelectionSource::Check => {
            let origin = Origin { source: file, span: 0..0, layer: Layer::Base };
            return (selection.name, origin);
        }
    };
    let span = prefix.len()..prefix.len() + selection.name.len();
    let source = sources.add(Source::new(source_name, format!("{prefix}{}", selection.name)));
    (selection.name, Origin { source, span, layer: Layer::Base })
}

fn apply_profile(
    root: &mut Table,
    profiles: &[profiles::Profile],
    name: &str,
    origin: &Origin,
    sink: &mut ErrorSink<'_>,
) -> Option<String> {
    if !profiles.iter().any(|profile| profile.name == name) {
        let names: Vec<&str> = profiles.iter().map(|profile| profile.name.as_str()).collect();
        let message = format!("unknown profile {name:?}{}", profiles::known_profiles(name, &names));
        sink.push(origin.source, origin.span.clone(), "profiles", message);
        return None;
    }
    for profile in profiles::chain(profiles, name)? {
        root.merge(profile.table.clone());
    }
    Some(name.to_owned())
}

fn apply_api_override(root: &mut Table, source: SourceId, sink: &mut ErrorSink<'_>) {
    let text = sink.sources.get(source).text.clone();
    match DeTable::parse(&text) {
        Ok(table) => {
            let overlay = Table::from_toml(table.get_ref(), source, &Layer::Api, sink);
            root.merge(overlay);
        }
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            let message = format!("invalid override {text:?}: {}; write a dotted key and a TOML value, like thresholds.checkout_p99.above = \"300ms\"", error.message());
            sink.push(source, span, "", message);
        }
    }
}
