//! Checks the `#[cache(...)]` attributes and the shape of the type, and turns them into
//! [`CacheArgs`]. Every mistake is collected, each at its own tokens.

use syn::spanned::Spanned;
use syn::{Expr, ExprLit, ExprPath, Ident, Lit, LitStr, Path};

use super::ast::{Field, Input, Shape};
use super::attr;
use crate::attr::{RawArg, RawValue};
use crate::valid::Errors;

const TYPE_KEYS: &[&str] = &["name", "capacity", "weigher", "target_hit_rate", "target_latency", "crate"];
const FIELD_KEYS: &[&str] = &["store"];

/// The checked attributes of the type.
#[derive(Default)]
pub(crate) struct CacheArgs {
    pub(crate) name: Option<LitStr>,
    pub(crate) capacity: Option<Expr>,
    pub(crate) weigher: Option<Expr>,
    pub(crate) target_hit_rate: Option<f64>,
    pub(crate) target_latency_ns: Option<u64>,
    pub(crate) krate: Option<Path>,
}

/// Checks the type's attributes and fields; returns its arguments and its store field.
pub(crate) fn check<'a>(input: &'a Input<'a>, errors: &mut Errors) -> (CacheArgs, Option<&'a Field<'a>>) {
    let args = type_args(input, errors);
    let store = match &input.shape {
        Shape::Struct(fields) => store_field(input.ident, fields, errors),
        Shape::Other(span, keyword) => {
            errors.push(
                *span,
                format!(
                    "`MonitoredCache` cannot be derived for {keyword}; derive it for a struct with one \
                     `#[cache(store)]` field"
                ),
            );
            None
        }
    };
    (args, store)
}

fn type_args(input: &Input<'_>, errors: &mut Errors) -> CacheArgs {
    let mut args = CacheArgs::default();
    let mut seen: Vec<String> = Vec::new();

    for RawArg { key, value } in attr::parse(input.attrs, errors).0 {
        let key_name = key.to_string();
        if FIELD_KEYS.contains(&key_name.as_str()) {
            errors.push(
                key.span(),
                format!("`{key_name}` marks a field, not the type; put `#[cache({key_name})]` on the field"),
            );
            continue;
        }
        if !TYPE_KEYS.contains(&key_name.as_str()) {
            errors.push(key.span(), unknown_key_message(&key_name, TYPE_KEYS, "the type"));
            continue;
        }
        if seen.contains(&key_name) {
            errors.push(key.span(), format!("duplicate argument `{key_name}`; remove one of them"));
            continue;
        }
        seen.push(key_name.clone());

        let Some(expr) = assigned(&key, value, errors) else {
            continue;
        };
        match key_name.as_str() {
            "name" => args.name = name(expr, errors),
            "capacity" => args.capacity = capacity(expr, errors),
            "weigher" => args.weigher = weigher(expr, errors),
            "target_hit_rate" => args.target_hit_rate = hit_rate(expr, errors),
            "target_latency" => args.target_latency_ns = latency(expr, errors),
            "crate" => args.krate = crate_path(expr, errors),
            _ => unreachable!("every key in TYPE_KEYS has an arm"),
        }
    }
    args
}

fn store_field<'a>(ident: &Ident, fields: &'a [Field<'a>], errors: &mut Errors) -> Option<&'a Field<'a>> {
    let mut store: Option<&'a Field<'a>> = None;
    for field in fields {
        for RawArg { key, value } in attr::parse(field.attrs, errors).0 {
            let key_name = key.to_string();
            if TYPE_KEYS.contains(&key_name.as_str()) {
                errors.push(
                    key.span(),
                    format!("`{key_name}` configures the type, not a field; put it in `#[cache(...)]` on the struct"),
                );
                continue;
            }
            if !FIELD_KEYS.contains(&key_name.as_str()) {
                errors.push(key.span(), unknown_key_message(&key_name, FIELD_KEYS, "a field"));
                continue;
            }
            if !matches!(value, RawValue::Flag) {
                errors.push(key.span(), "`store` takes no value; write `#[cache(store)]`");
                continue;
            }
            if store.is_some() {
                errors.push(key.span(), "duplicate `#[cache(store)]`: only one field holds the store; remove one");
                continue;
            }
            store = Some(field);
        }
    }

    if store.is_none() {
        errors.push(
            ident.span(),
            format!(
                "`{ident}` has no field marked `#[cache(store)]`; add the attribute to the field that holds the \
                 store, such as `#[cache(store)] entries: perf_cache::HashMapCache<K, V>`"
            ),
        );
    }
    store
}

/// Returns the value of `key = value`, or reports that the key expects one.
fn assigned(key: &Ident, value: RawValue, errors: &mut Errors) -> Option<Expr> {
    let expected = format!("`{key}` expects a value: `{key} = ...`");
    match value {
        RawValue::Assign(expr) => Some(expr),
        RawValue::Flag => {
            errors.push(key.span(), expected);
            None
        }
        RawValue::List(span, _) => {
            errors.push(span, expected);
            None
        }
    }
}

fn name(expr: Expr, errors: &mut Errors) -> Option<LitStr> {
    let Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) = expr else {
        errors.push(expr.span(), format!("expected a string for `name`, found {}: `name = \"...\"`", describe(&expr)));
        return None;
    };
    if text.value().trim().is_empty() {
        errors.push(text.span(), "`name` cannot be empty");
        return None;
    }
    Some(text)
}

fn capacity(expr: Expr, errors: &mut Errors) -> Option<Expr> {
    match &expr {
        Expr::Lit(ExprLit { lit: Lit::Int(_), .. }) => Some(expr),
        Expr::Lit(_) => {
            errors.push(
                expr.span(),
                format!("expected an integer for `capacity`, found {}: `capacity = 64 * 1024 * 1024`", describe(&expr)),
            );
            None
        }
        // Constants and arithmetic: the type checker checks them as `u64`, at these tokens.
        _ => Some(expr),
    }
}

fn weigher(expr: Expr, errors: &mut Errors) -> Option<Expr> {
    match &expr {
        Expr::Path(_) | Expr::Closure(_) => Some(expr),
        _ => {
            errors.push(
                expr.span(),
                format!("expected the path of a function `fn(&K, &V) -> u64` for `weigher`, found {}", describe(&expr)),
            );
            None
        }
    }
}

fn hit_rate(expr: Expr, errors: &mut Errors) -> Option<f64> {
    let value = match &expr {
        Expr::Lit(ExprLit { lit: Lit::Float(number), .. }) => number.base10_parse::<f64>().ok(),
        Expr::Lit(ExprLit { lit: Lit::Int(number), .. }) => number.base10_parse::<f64>().ok(),
        _ => None,
    };
    let Some(rate) = value else {
        errors.push(
            expr.span(),
            format!("expected a number for `target_hit_rate`, found {}: `target_hit_rate = 0.9`", describe(&expr)),
        );
        return None;
    };
    if !(rate > 0.0 && rate <= 1.0) {
        errors.push(
            expr.span(),
            format!("`target_hit_rate` {rate} is out of range; use a fraction above 0 and at most 1"),
        );
        return None;
    }
    Some(rate)
}

fn latency(expr: Expr, errors: &mut Errors) -> Option<u64> {
    let Expr::Lit(ExprLit { lit: Lit::Str(text), .. }) = &expr else {
        errors.push(
            expr.span(),
            format!(
                "expected a duration string for `target_latency`, found {}: `target_latency = \"2ms\"`",
                describe(&expr)
            ),
        );
        return None;
    };
    match parse_duration_ns(&text.value()) {
        Some(0) => {
            errors.push(text.span(), "`target_latency` must be above zero");
            None
        }
        Some(nanos) => Some(nanos),
        None => {
            errors.push(
                text.span(),
                format!(
                    "invalid duration {:?} for `target_latency`; write a number and a unit (ns, us, ms, s), such as \"250us\"",
                    text.value()
                ),
            );
            None
        }
    }
}

fn crate_path(expr: Expr, errors: &mut Errors) -> Option<Path> {
    match expr {
        Expr::Path(ExprPath { qself: None, path, .. }) => Some(path),
        other => {
            errors.push(
                other.span(),
                format!(
                    "expected the path of perf_cache for `crate`, found {}: `crate = my_reexport::perf_cache`",
                    describe(&other)
                ),
            );
            None
        }
    }
}

/// Parses `"250us"`, `"1.5ms"`, `"2s"`, `"800ns"` into nanoseconds.
fn parse_duration_ns(text: &str) -> Option<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().ok()?;
    let scale = match unit.trim() {
        "ns" => 1.0,
        "us" | "µs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        _ => return None,
    };
    let nanos = number * scale;
    (nanos.is_finite() && nanos < u64::MAX as f64).then(|| nanos.round() as u64)
}

fn unknown_key_message(key: &str, keys: &[&str], target: &str) -> String {
    let expected = keys.iter().map(|key| format!("`{key}`")).collect::<Vec<_>>().join(", ");
    let closest = keys.iter().min_by_key(|candidate| strsim::levenshtein(key, candidate));
    match closest {
        Some(best) if strsim::levenshtein(key, best) <= 2 => {
            format!("unknown `cache` argument `{key}` on {target}; did you mean `{best}`? Expected one of {expected}")
        }
        _ => format!("unknown `cache` argument `{key}` on {target}; expected one of {expected}"),
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

#[cfg(test)]
mod tests {
    use super::parse_duration_ns;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration_ns("800ns"), Some(800));
        assert_eq!(parse_duration_ns("250us"), Some(250_000));
        assert_eq!(parse_duration_ns("1.5ms"), Some(1_500_000));
        assert_eq!(parse_duration_ns("2s"), Some(2_000_000_000));
    }

    #[test]
    fn durations_reject_missing_unit() {
        assert_eq!(parse_duration_ns("250"), None);
        assert_eq!(parse_duration_ns("ms"), None);
        assert_eq!(parse_duration_ns("3 hours"), None);
    }
}
