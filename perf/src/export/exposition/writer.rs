//! The line writer shared by both text formats: family metadata, samples, labels and values.
//!
//! It writes straight into the output buffer, sanitizing names and escaping label values on
//! the way. The set that keeps family names unique points into the output instead of copying
//! them. So rendering allocates nothing per series or family beyond the growth of the buffer
//! and of that set.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::export::naming;

/// The rules in which the two text formats differ.
#[derive(Debug)]
pub(crate) struct Dialect {
    /// Value of the `Content-Type` header.
    pub(crate) content_type: &'static str,
    /// Whether HELP text escapes `"` as well as `\` and line feeds.
    pub(crate) escape_help_quotes: bool,
    /// Whether the TYPE and HELP lines of a counter name the family with its `_total` suffix.
    pub(crate) counter_metadata_with_total: bool,
    /// Whether families with a unit get a `# UNIT` line.
    pub(crate) unit_lines: bool,
    /// Whether the `info` type exists; without it an info family is a gauge.
    pub(crate) info_type: bool,
    /// Line that ends the exposition, if any.
    pub(crate) end: &'static str,
}

/// The type of a metric family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Counter,
    Gauge,
    Histogram,
    Summary,
    Info,
}

/// A sample value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value {
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

/// Labels that come from users (site labels, metric labels, collector samples): their names
/// are sanitized, and renamed `exported_<name>` when they clash with a label of ours.
pub(crate) trait LabelSet {
    /// Calls `each` with every `(name, value)` pair.
    fn for_each_label<F: FnMut(&str, &str)>(&self, each: F);
}

/// No user labels.
pub(crate) struct NoLabels;

/// Writes one exposition in one dialect.
pub(crate) struct Writer<'a> {
    out: &'a mut Vec<u8>,
    dialect: &'static Dialect,
    family: Vec<u8>,
    kind: Kind,
    seen: SeenFamilies,
}

/// The families written so far, each as the position of its name in the output and the
/// suffix of its samples, keyed by a hash of both. Names whose hashes collide go to a list.
#[derive(Default)]
struct SeenFamilies {
    by_hash: HashMap<u64, Written, BuildHasherDefault<PassThrough>>,
    collided: Vec<Written>,
}

#[derive(Clone, Copy)]
struct Written {
    start: usize,
    len: usize,
    suffix: &'static str,
}

impl<'a> Writer<'a> {
    pub(crate) fn new(out: &'a mut Vec<u8>, dialect: &'static Dialect) -> Self {
        Writer { out, dialect, family: Vec::with_capacity(64), kind: Kind::Gauge, seen: SeenFamilies::default() }
    }

    /// Starts a family named `prefix` + `name` (sanitized). The name excludes the `_total` of
    /// a counter and the `_info` of an info family, and ends with `_<unit>` when there is a
    /// unit.
    ///
    /// Returns `false`, and writes nothing, when a family of that name was already written in
    /// this exposition: the caller then skips its samples, since Prometheus rejects an
    /// exposition with a family split in two.
    pub(crate) fn family(&mut self, prefix: &str, name: &str, kind: Kind, unit: Option<&str>, help: &str) -> bool {
        self.family.clear();
        self.family.extend_from_slice(prefix.as_bytes());
        naming::push_metric_name(&mut self.family, name);
        self.kind = kind;

        let suffix = self.sample_suffix(kind);
        let name_start = self.out.len() + b"# TYPE ".len();
        let written = Written { start: name_start, len: self.family.len(), suffix };
        if !self.seen.insert(self.out, &self.family, written) {
            return false;
        }

        let (metadata_suffix, type_name) = match kind {
            Kind::Counter if self.dialect.counter_metadata_with_total => ("_total", "counter"),
            Kind::Counter => ("", "counter"),
            Kind::Gauge => ("", "gauge"),
            Kind::Histogram => ("", "histogram"),
            Kind::Summary => ("", "summary"),
            Kind::Info if self.dialect.info_type => ("", "info"),
            Kind::Info => ("_info", "gauge"),
        };

        self.metadata_line(b"# TYPE ", metadata_suffix);
        self.out.extend_from_slice(type_name.as_bytes());
        self.out.push(b'\n');

        if let Some(unit) = unit.filter(|_| self.dialect.unit_lines) {
            self.metadata_line(b"# UNIT ", metadata_suffix);
            self.out.extend_from_slice(unit.as_bytes());
            self.out.push(b'\n');
        }

        self.metadata_line(b"# HELP ", metadata_suffix);
        naming::push_help(self.out, help, self.dialect.escape_help_quotes);
        self.out.push(b'\n');
        true
    }

    /// Writes one sample of the current family. Its name is the family's plus `suffix`
    /// (`_total`, `_bucket`, `_sum`, `_count`, `_info` or nothing). The labels are our own
    /// `own` (valid names, written as they are), then the user's, then `extra` (`le` or
    /// `quantile`).
    pub(crate) fn sample<L: LabelSet + ?Sized>(
        &mut self,
        suffix: &str,
        own: &[(&str, &str)],
        user: &L,
        extra: Option<(&str, &str)>,
        value: Value,
    ) {
        self.out.extend_from_slice(&self.family);
        self.out.extend_from_slice(suffix.as_bytes());

        let mut first = true;
        for (name, value) in own {
            self.label_separator(&mut first);
            self.out.extend_from_slice(name.as_bytes());
            self.label_value(value);
        }
        user.for_each_label(|name, value| {
            let clashes = own.iter().any(|(own_name, _)| *own_name == name);
            if first {
                self.out.push(b'{');
                first = false;
            } else {
                self.out.push(b',');
            }
            if clashes {
                self.out.extend_from_slice(b"exported_");
            }
            naming::push_label_name(self.out, name);
            self.label_value(value);
        });
        if let Some((name, value)) = extra {
            self.label_separator(&mut first);
            self.out.extend_from_slice(name.as_bytes());
            self.label_value(value);
        }
        if !first {
            self.out.push(b'}');
        }

        self.out.push(b' ');
        match value {
            Value::Unsigned(value) => naming::push_u64(self.out, value),
            Value::Signed(value) => naming::push_i64(self.out, value),
            Value::Float(value) => naming::push_f64(self.out, value),
        }
        self.out.push(b'\n');
    }

    /// Returns the suffix every sample of a simple family (counter, gauge, info) carries.
    pub(crate) fn sample_suffix(&self, kind: Kind) -> &'static str {
        match kind {
            Kind::Counter => "_total",
            Kind::Info => "_info",
            Kind::Gauge | Kind::Histogram | Kind::Summary => "",
        }
    }

    /// Returns the type of the current family.
    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    /// Ends the exposition.
    pub(crate) fn finish(self) {
        self.out.extend_from_slice(self.dialect.end.as_bytes());
    }

    fn metadata_line(&mut self, keyword: &[u8], suffix: &str) {
        self.out.extend_from_slice(keyword);
        self.out.extend_from_slice(&self.family);
        self.out.extend_from_slice(suffix.as_bytes());
        self.out.push(b' ');
    }

    fn label_separator(&mut self, first: &mut bool) {
        self.out.push(if *first { b'{' } else { b',' });
        *first = false;
    }

    fn label_value(&mut self, value: &str) {
        self.out.extend_from_slice(b"=\"");
        naming::push_label_value(self.out, value);
        self.out.push(b'"');
    }
}

impl SeenFamilies {
    /// Records a family about to be written at `written` (its TYPE line starts the output's
    /// next line), or returns `false` when a family with the same name and suffix is already in
    /// `out`.
    fn insert(&mut self, out: &[u8], family: &[u8], written: Written) -> bool {
        let is_same = |other: &Written| {
            other.suffix == written.suffix && out.get(other.start..other.start + other.len) == Some(family)
        };

        let mut hasher = Fnv1a::default();
        hasher.write(family);
        hasher.write(written.suffix.as_bytes());
        match self.by_hash.entry(hasher.finish()) {
            Entry::Vacant(slot) => {
                slot.insert(written);
                true
            }
            Entry::Occupied(slot) if is_same(slot.get()) => false,
            Entry::Occupied(_) => {
                if self.collided.iter().any(is_same) {
                    return false;
                }
                self.collided.push(written);
                true
            }
        }
    }
}

/// FNV-1a, 64 bits: fast on the short names of metric families, which need no protection
/// against chosen collisions (a collision only costs a byte comparison).
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hasher for keys that are hashes already.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 << 8) | u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl LabelSet for NoLabels {
    fn for_each_label<F: FnMut(&str, &str)>(&self, _each: F) {}
}

impl LabelSet for [(&str, &str)] {
    fn for_each_label<F: FnMut(&str, &str)>(&self, mut each: F) {
        for (name, value) in self {
            each(name, value);
        }
    }
}

impl LabelSet for [(String, String)] {
    fn for_each_label<F: FnMut(&str, &str)>(&self, mut each: F) {
        for (name, value) in self {
            each(name, value);
        }
    }
}

impl LabelSet for BTreeMap<String, String> {
    fn for_each_label<F: FnMut(&str, &str)>(&self, mut each: F) {
        for (name, value) in self {
            each(name, value);
        }
    }
}

impl<L: LabelSet + ?Sized> LabelSet for &L {
    fn for_each_label<F: FnMut(&str, &str)>(&self, each: F) {
        (**self).for_each_label(each);
    }
}
