//! Checks the arguments of `#[health_check]` and the item it is on.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, FnArg, ItemFn, ItemStatic, Lit, LitStr, Path, ReturnType, StaticMutability};

use crate::attr::{RawArg, RawArgs, RawValue};
use crate::valid::Errors;

const KEYS: &[&str] = &["component", "name", "crate"];

/// Checked arguments of one `#[health_check]`.
#[derive(Default)]
pub(crate) struct Args {
    pub(crate) component: Option<LitStr>,
    pub(crate) name: Option<LitStr>,
    pub(crate) krate: Option<Path>,
}

pub(crate) fn args(raw: RawArgs, errors: &mut Errors) -> Args {
    let mut args = Args::default();
    let mut seen: Vec<String> = Vec::new();
    for RawArg { key, value } in raw.0 {
        let key_name = key.to_string();
        if !KEYS.contains(&key_name.as_str()) {
            errors.push(
                key.span(),
                format!(
                    "unknown argument `{key_name}`; expected `component = \"...\"`, `name = \"...\"` or `crate = path`"
                ),
            );
            continue;
        }
        if seen.contains(&key_name) {
            errors.push(key.span(), format!("duplicate argument `{key_name}`; remove one of them"));
            continue;
        }
        seen.push(key_name.clone());

        match key_name.as_str() {
            "component" => args.component = string_value(&key_name, value, key.span(), errors),
            "name" => args.name = string_value(&key_name, value, key.span(), errors),
            _ => args.krate = path_value(value, key.span(), errors),
        }
    }
    args
}

/// Checks that the function can be called as `fn() -> perf::Health` from a worker thread.
pub(crate) fn function(item: &ItemFn, errors: &mut Errors) {
    let sig = &item.sig;
    if let Some(asyncness) = &sig.asyncness {
        errors.push(
            asyncness.span,
            "a health check cannot be `async`: it runs on a worker thread with a time budget; \
             make it a plain `fn` that blocks or returns a state kept up to date elsewhere",
        );
    }
    if let Some(unsafety) = &sig.unsafety {
        errors.push(unsafety.span, "a health check cannot be an `unsafe fn`; move the unsafe code inside its body");
    }
    if let Some(abi) = &sig.abi {
        errors.push(abi.span(), "a health check must use the Rust ABI; remove the `extern` qualifier");
    }
    if !sig.generics.params.is_empty() {
        errors.push(sig.generics.span(), "a health check cannot be generic; write one check per type");
    }
    if let Some(receiver) = sig.inputs.iter().find(|input| matches!(input, FnArg::Receiver(_))) {
        errors.push(
            receiver.span(),
            "a health check cannot be a method; put `#[health_check]` on a `static` whose type implements \
             `perf::ComponentHealth`",
        );
    } else if !sig.inputs.is_empty() {
        errors.push(
            sig.inputs.span(),
            "a health check takes no arguments; read what it checks from a `static`, or use \
             `perf::component::register_health_check` with a closure",
        );
    }
    if let ReturnType::Default = sig.output {
        errors.push(sig.ident.span(), "a health check must return `perf::Health`; add `-> perf::Health`");
    }
}

/// Checks that the static can be borrowed as `&'static dyn perf::ComponentHealth`.
pub(crate) fn static_item(item: &ItemStatic, errors: &mut Errors) {
    if let StaticMutability::Mut(token) = &item.mutability {
        errors.push(
            token.span,
            "a health check cannot be a `static mut`; keep changing state in atomics or a lock inside an \
             immutable `static`",
        );
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
        errors.push(expr.span(), format!("expected a string literal; {expected}"));
        return None;
    };
    if text.value().trim().is_empty() {
        errors.push(text.span(), format!("`{key}` cannot be empty"));
        return None;
    }
    Some(text)
}

fn path_value(value: RawValue, key_span: Span, errors: &mut Errors) -> Option<Path> {
    let expected = "`crate` expects the path of the perf crate: `crate = my_reexport::perf`";
    match value {
        RawValue::Assign(Expr::Path(path)) if path.qself.is_none() => Some(path.path),
        RawValue::Assign(expr) => {
            errors.push(expr.span(), format!("expected a path; {expected}"));
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
