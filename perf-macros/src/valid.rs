//! Checks the raw arguments and the item, and turns them into [`Args`]. Every mistake is
//! collected, so the user sees all of them in one build, each at its own tokens.

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Lit, LitStr, Path, Token};

use crate::ast::{FnItem, Target};
use crate::attr::{RawArg, RawArgs, RawLabel, RawValue};

pub(crate) const CALLS: u8 = 1;
pub(crate) const ERRORS: u8 = 2;
pub(crate) const LATENCY: u8 = 4;
pub(crate) const IN_FLIGHT: u8 = 8;
const DEFAULT_FEATURES: u8 = CALLS | ERRORS | LATENCY;

const KEYS: &[&str] =
    &["calls", "errors", "latency", "in_flight", "name", "component", "labels", "crate", "skip", "slow"];

/// Label names that the exporters set themselves.
const RESERVED_LABELS: &[&str] = &["function", "module", "component", "result", "kind", "le", "quantile"];

/// Checked arguments of one `#[monitored]`.
#[derive(Clone, Default)]
pub(crate) struct Args {
    pub(crate) features: u8,
    pub(crate) name: Option<LitStr>,
    pub(crate) component: Option<LitStr>,
    pub(crate) labels: Vec<(String, LitStr)>,
    pub(crate) krate: Option<Path>,
    pub(crate) skip: bool,
    /// Latency above which a call is reported as slow, in nanoseconds.
    pub(crate) slow_nanos: Option<u64>,
}

/// Collects errors so that all of them are reported together.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, span: Span, message: impl std::fmt::Display) {
        self.push_error(syn::Error::new(span, message));
    }

    pub(crate) fn push_error(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub(crate) fn finish<T>(self, value: T) -> syn::Result<T> {
        match self.0 {
            Some(errors) => Err(errors),
            None => Ok(value),
        }
    }
}

/// Checks the arguments written for `target`.
pub(crate) fn args(raw: RawArgs, target: Target, errors: &mut Errors) -> Args {
    let mut args = Args::default();
    let mut seen: Vec<(String, Span)> = Vec::new();
    let mut flags = 0u8;
    let mut slow_span = None;

    for RawArg { key, value } in raw.0 {
        let key_name = key.to_string();
        if !KEYS.contains(&key_name.as_str()) {
            errors.push(key.span(), unknown_key_message(&key_name));
            continue;
        }
        if seen.iter().any(|(seen_key, _)| *seen_key == key_name) {
            errors.push(key.span(), format!("duplicate argument `{key_name}`; remove one of them"));
            continue;
        }
        seen.push((key_name.clone(), key.span()));

        match key_name.as_str() {
            "calls" | "errors" | "latency" | "in_flight" => {
                if flag(&key_name, &value, errors) {
                    flags |= feature_bit(&key_name);
                }
            }
            "skip" => args.skip = flag(&key_name, &value, errors),
            "name" => args.name = string_value(&key_name, value, key.span(), errors),
            "component" => args.component = string_value(&key_name, value, key.span(), errors),
            "labels" => args.labels = labels(value, key.span(), errors),
            "crate" => args.krate = path_value(value, key.span(), errors),
            "slow" => {
                slow_span = Some(key.span());
                args.slow_nanos = slow_value(value, key.span(), errors);
            }
            _ => unreachable!("every key in KEYS has an arm"),
        }

        if key_name == "skip" && target != Target::Method {
            errors.push(key.span(), "`skip` only applies to a method inside a `#[monitored]` impl block");
        }
        if key_name == "name" && target == Target::Impl {
            errors.push(
                key.span(),
                "`name` names one function, not an impl block; put `#[monitored(name = \"...\")]` on the method",
            );
        }
    }

    if args.skip {
        for (other, span) in seen.iter().filter(|(key, _)| key != "skip") {
            errors.push(
                *span,
                format!(
                    "`skip` leaves the method uninstrumented, so `{other}` has no effect; remove `{other}` or `skip`"
                ),
            );
        }
    }
    args.features = if flags == 0 { DEFAULT_FEATURES } else { flags };
    if let Some(span) = slow_span {
        if args.features & LATENCY == 0 {
            errors.push(
                span,
                "`slow` compares each call's latency, so it needs `latency`: add `latency` to the arguments",
            );
        }
    }
    args
}

/// Checks that `#[monitored]` can instrument this function.
pub(crate) fn function(item: &FnItem, errors: &mut Errors) {
    let sig = &item.sig;
    if let Some(constness) = &sig.constness {
        errors.push(
            constness.span,
            "`#[monitored]` cannot instrument a `const fn`: reading the clock and updating atomics \
             is not possible in const evaluation; remove `const` or the attribute",
        );
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(variadic.span(), "`#[monitored]` cannot instrument a variadic function");
    }
    if item.body.is_none() {
        errors.push(
            sig.ident.span(),
            "`#[monitored]` needs a function body; put it on the implementation, not on a declaration",
        );
    }
}

fn flag(key: &str, value: &RawValue, errors: &mut Errors) -> bool {
    match value {
        RawValue::Flag => true,
        RawValue::Assign(expr) => {
            errors.push(expr.span(), format!("`{key}` takes no value; write `{key}` alone"));
            false
        }
        RawValue::List(span, _) => {
            errors.push(*span, format!("`{key}` takes no list; write `{key}` alone"));
            false
        }
    }
}

fn feature_bit(key: &str) -> u8 {
    match key {
        "calls" => CALLS,
        "errors" => ERRORS,
        "latency" => LATENCY,
        _ => IN_FLIGHT,
    }
}

fn string_value(key: &str, value: RawValue, key_span: Span, errors: &mut Errors) -> Option<LitStr> {
    let expected = format!("`{key}` expects a string: `{key} = \"...\"`");
    let expr = match value {
        RawValue::Assign(expr) => expr,
        RawValue::Flag => {
            errors.push(key_span, expected);
            return None;
        }
        RawValue::List(span, _) => {
            errors.push(span, expected);
            return None;
        }
    };

    let Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) = expr else {
        errors.push(expr.span(), format!("expected a string literal, found {}; {expected}", describe(&expr)));
        return None;
    };
    if text.value().trim().is_empty() {
        errors.push(text.span(), format!("`{key}` cannot be empty; write a name or remove `{key}`"));
        return None;
    }
    Some(text)
}

fn slow_value(value: RawValue, key_span: Span, errors: &mut Errors) -> Option<u64> {
    let text = string_value("slow", value, key_span, errors)?;
    match crate::duration::parse_nanos(&text.value()) {
        Ok(nanos) => Some(nanos),
        Err(message) => {
            errors.push(text.span(), format!("`slow`: {message}"));
            None
        }
    }
}

fn path_value(value: RawValue, key_span: Span, errors: &mut Errors) -> Option<Path> {
    let expected = "`crate` expects the path of the perf crate: `crate = my_reexport::perf`";
    match value {
        RawValue::Assign(Expr::Path(path)) if path.qself.is_none() => Some(path.path),
        RawValue::Assign(Expr::Lit(ExprLit { lit: Lit::Str(text), .. })) if text.parse::<Path>().is_ok() => {
            let unquoted = text.value();
            errors.push(
                text.span(),
                format!("`crate` expects a path, not a string; write `crate = {unquoted}` without quotes"),
            );
            None
        }
        RawValue::Assign(expr) => {
            errors.push(expr.span(), format!("expected a path, found {}; {expected}", describe(&expr)));
            None
        }
        RawValue::Flag => {
            errors.push(key_span, expected);
            None
        }
        RawValue::List(span, _) => {
            errors.push(span, expected);
            None
        }
    }
}

fn labels(value: RawValue, key_span: Span, errors: &mut Errors) -> Vec<(String, LitStr)> {
    let expected = "`labels` expects a list: `labels(key = \"value\", ...)`";
    let tokens = match value {
        RawValue::List(_, tokens) => tokens,
        RawValue::Flag => {
            errors.push(key_span, expected);
            return Vec::new();
        }
        RawValue::Assign(expr) => {
            errors.push(expr.span(), expected);
            return Vec::new();
        }
    };

    let parser = Punctuated::<RawLabel, Token![,]>::parse_terminated;
    let entries = match syn::parse::Parser::parse2(parser, tokens) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push_error(error);
            return Vec::new();
        }
    };

    let mut labels: Vec<(String, LitStr)> = Vec::new();
    for RawLabel { key, value } in entries {
        let name = key.unraw().to_string();
        if labels.iter().any(|(existing, _)| *existing == name) {
            errors.push(key.span(), format!("duplicate label `{name}`; remove one of them"));
            continue;
        }
        if RESERVED_LABELS.contains(&name.as_str()) {
            errors.push(key.span(), format!("label `{name}` is reserved for the exporters; choose another name"));
            continue;
        }
        if name.starts_with("__") {
            errors.push(
                key.span(),
                format!("label `{name}`: names starting with `__` are reserved by Prometheus; choose another name"),
            );
            continue;
        }

        match value {
            Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) => labels.push((name, text)),
            other => errors.push(
                other.span(),
                format!(
                    "expected a string literal for label `{name}`, found {}; write `{name} = \"...\"`",
                    describe(&other)
                ),
            ),
        }
    }
    labels
}

fn unknown_key_message(key: &str) -> String {
    let expected = KEYS.iter().map(|key| format!("`{key}`")).collect::<Vec<_>>().join(", ");
    match KEYS.iter().min_by_key(|candidate| edit_distance(key, candidate)) {
        Some(best) if edit_distance(key, best) <= 2 => {
            format!("unknown argument `{key}`; did you mean `{best}`? Expected one of {expected}")
        }
        _ => format!("unknown argument `{key}`; expected one of {expected}"),
    }
}

fn describe(expr: &Expr) -> &'static str {
    match expr {
        Expr::Lit(ExprLit { lit, .. }) => match lit {
            Lit::Str(_) => "a string",
            Lit::Int(_) => "an integer",
            Lit::Float(_) => "a float",
            Lit::Bool(_) => "a boolean",
            Lit::Char(_) => "a character",
            _ => "a literal",
        },
        Expr::Path(_) => "a path",
        _ => "an expression",
    }
}

/// Levenshtein distance, for did-you-mean suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, left) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, right) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(left != *right);
            current.push(substitution.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}
