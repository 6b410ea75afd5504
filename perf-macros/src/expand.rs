//! Code generation for `#[monitored]`.
//!
//! Each instrumented function gets, inside its body, one `static` site registered with
//! `inventory` and a guard around the original body. The generated code names everything
//! through `perf::__private` (or the path given with `crate = ...`), and its identifiers start
//! with `__perf`, a prefix user code is unlikely to use.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::{Attribute, ImplItem, ItemImpl, ReturnType, Type};

use crate::ast::{FnItem, Item, Target};
use crate::attr::RawArgs;
use crate::valid::{self, Args, Errors, ERRORS};

/// Expands `#[monitored(args)]` on `item`.
pub(crate) fn monitored(args: TokenStream, item: TokenStream) -> TokenStream {
    let item: Item = match syn::parse2(item.clone()) {
        Ok(item) => item,
        Err(error) => return with_errors(item, error),
    };
    let raw_args: RawArgs = match syn::parse2(args) {
        Ok(args) => args,
        Err(error) => return with_errors(item.into_token_stream(), error),
    };

    let mut errors = Errors::default();
    let expanded = match item {
        Item::Fn(function) => {
            let args = valid::args(raw_args, Target::Function, &mut errors);
            valid::function(&function, &mut errors);
            if errors.is_empty() {
                instrument(function, &args, None)
            } else {
                function.into_token_stream()
            }
        }
        Item::Impl(block) => {
            let args = valid::args(raw_args, Target::Impl, &mut errors);
            instrument_impl(block, &args, &mut errors)
        }
        Item::Other(tokens) => {
            let keyword = item_keyword(&tokens);
            let span = keyword.as_ref().map_or_else(|| first_span(&tokens), Ident::span);
            errors.push(span, unsupported_item_message(keyword.as_ref()));
            tokens
        }
    };

    match errors.finish(()) {
        Ok(()) => expanded,
        Err(error) => with_errors(expanded, error),
    }
}

/// Instruments every method of an impl block, except those marked `#[monitored(skip)]`. A
/// method's own `#[monitored(...)]` replaces the block's features. Its component, labels and
/// crate path override the block's, and the block's values fill in those it does not set.
fn instrument_impl(mut block: ItemImpl, args: &Args, errors: &mut Errors) -> TokenStream {
    let type_name = type_name(&block.self_ty);
    for item in &mut block.items {
        let ImplItem::Fn(method) = item else {
            continue;
        };

        let mut method_args = args.clone();
        if let Some(index) = method.attrs.iter().position(is_monitored_attr) {
            let attr = method.attrs.remove(index);
            let raw = match parse_attr_args(&attr) {
                Ok(raw) => raw,
                Err(error) => {
                    errors.push_error(error);
                    continue;
                }
            };
            method_args = valid::args(raw, Target::Method, errors);
            if method_args.skip {
                continue;
            }
            method_args.krate = method_args.krate.or_else(|| args.krate.clone());
            method_args.component = method_args.component.or_else(|| args.component.clone());
            for (key, value) in &args.labels {
                if !method_args.labels.iter().any(|(method_key, _)| method_key == key) {
                    method_args.labels.push((key.clone(), value.clone()));
                }
            }
        }

        let function = FnItem::from(method.clone());
        valid::function(&function, errors);
        let tokens = instrument(function, &method_args, Some(&type_name));
        *item = ImplItem::Verbatim(tokens);
    }
    block.into_token_stream()
}

/// Wraps one function body with its site and guard.
fn instrument(function: FnItem, args: &Args, type_name: Option<&str>) -> TokenStream {
    let FnItem { attrs, vis, defaultness, sig, body } = function;
    let krate = match &args.krate {
        Some(path) => path.to_token_stream(),
        None => quote!(::perf),
    };
    let private = quote!(#krate::__private);
    let ident = &sig.ident;
    let fn_name = ident.to_string();

    let name = match (&args.name, type_name) {
        (Some(name), _) => name.to_token_stream(),
        (None, Some(type_name)) => {
            quote!(::core::concat!(::core::module_path!(), "::", #type_name, "::", #fn_name))
        }
        (None, None) => quote!(::core::concat!(::core::module_path!(), "::", #fn_name)),
    };
    let component = match &args.component {
        Some(component) => component.to_token_stream(),
        None => quote!(::core::module_path!()),
    };
    let labels = args.labels.iter().map(|(key, value)| quote!((#key, #value)));
    let location = quote_spanned!(ident.span()=> ::core::file!(), ::core::line!());
    let features = args.features;

    let site = quote! {
        static __PERF_SITE: #private::Site = {
            let (file, line) = (#location);
            #private::Site::new(#private::SiteInfo {
                name: #name,
                component: #component,
                module: ::core::module_path!(),
                function: #fn_name,
                labels: &[#(#labels),*],
                file,
                line,
                features: #private::Features::from_bits(#features),
            })
        };
        #private::inventory::submit! { #private::SiteRef(&__PERF_SITE) }
    };

    let body = body.map_or_else(TokenStream::new, ToTokens::into_token_stream);
    let run = if sig.asyncness.is_some() {
        match output_type(&sig.output) {
            Some(output) => quote!(#private::typed_future::<#output, _>(async move #body).await),
            None => quote!(async move #body.await),
        }
    } else {
        match output_type(&sig.output) {
            Some(output) => quote!(#private::call_once(move || -> #output #body)),
            None => quote!(#private::call_once(move || #body)),
        }
    };
    let outcome = if features & ERRORS != 0 {
        quote!(|| {
            #[allow(unused_imports)]
            use #private::{ClassifyAny as _, ClassifyByTrait as _, ClassifyKindedResult as _, ClassifyResult as _};
            (&&&#private::Probe(&__perf_output)).__perf_outcome()
        })
    } else {
        quote!(|| #private::Outcome::Success)
    };

    let enter = match args.slow_nanos {
        Some(slow_nanos) => quote!(__PERF_SITE.enter_slow::<#features, #slow_nanos>()),
        None => quote!(__PERF_SITE.enter::<#features>()),
    };

    quote! {
        #(#attrs)*
        #vis #defaultness #sig {
            #site
            let __perf_guard = #enter;
            let __perf_output = #run;
            __perf_guard.finish(#outcome);
            __perf_output
        }
    }
}

/// Returns the type to pin the body's output to, or `None` for `()` and for types that
/// cannot be written inside the body (`impl Trait`).
fn output_type(output: &ReturnType) -> Option<&Type> {
    match output {
        ReturnType::Type(_, ty) if !contains_impl_trait(ty) => Some(ty),
        _ => None,
    }
}

fn contains_impl_trait(ty: &Type) -> bool {
    fn any_impl(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|token| match token {
            proc_macro2::TokenTree::Ident(ident) => ident == "impl",
            proc_macro2::TokenTree::Group(group) => any_impl(group.stream()),
            _ => false,
        })
    }
    any_impl(ty.to_token_stream())
}

/// Names the implementing type: `Cache` for `Cache<K, V>`, the written type otherwise.
fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(path) if path.qself.is_none() => match path.path.segments.last() {
            Some(segment) => segment.ident.to_string(),
            None => String::new(),
        },
        other => other.to_token_stream().to_string().replace(' ', ""),
    }
}

fn is_monitored_attr(attr: &Attribute) -> bool {
    attr.path().segments.last().is_some_and(|segment| segment.ident == "monitored")
}

fn parse_attr_args(attr: &Attribute) -> syn::Result<RawArgs> {
    match &attr.meta {
        syn::Meta::Path(_) => Ok(RawArgs(Vec::new())),
        syn::Meta::List(list) => list.parse_args(),
        syn::Meta::NameValue(meta) => Err(syn::Error::new_spanned(
            meta,
            "expected `#[monitored]` or `#[monitored(...)]`, found `#[monitored = ...]`",
        )),
    }
}

/// Finds the keyword that names the kind of item (`struct`, `trait`, ...), past attributes,
/// visibility and qualifiers.
fn item_keyword(tokens: &TokenStream) -> Option<Ident> {
    tokens
        .clone()
        .into_iter()
        .filter_map(|token| match token {
            proc_macro2::TokenTree::Ident(ident) => Some(ident),
            _ => None,
        })
        .find(|ident| !matches!(ident.to_string().as_str(), "pub" | "crate" | "unsafe" | "extern"))
}

fn unsupported_item_message(keyword: Option<&Ident>) -> String {
    let keyword = keyword.map(Ident::to_string);
    let what = match keyword.as_deref() {
        Some(
            kind
            @ ("struct" | "enum" | "union" | "trait" | "mod" | "static" | "const" | "type" | "use" | "macro_rules"),
        ) => {
            format!("a `{kind}` item")
        }
        _ => "this item".to_owned(),
    };
    let hint =
        if keyword.as_deref() == Some("trait") { "; put it on the methods of an `impl` block instead" } else { "" };
    format!("`#[monitored]` applies to functions, methods and `impl` blocks, not to {what}{hint}")
}

fn first_span(tokens: &TokenStream) -> Span {
    tokens.clone().into_iter().next().map_or_else(Span::call_site, |token| token.span())
}

/// Emits the item unchanged next to the errors, so the rest of the crate still type-checks.
fn with_errors(item: TokenStream, error: syn::Error) -> TokenStream {
    let errors = error.to_compile_error();
    quote!(#errors #item)
}

impl ToTokens for FnItem {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for attr in &self.attrs {
            attr.to_tokens(tokens);
        }
        self.vis.to_tokens(tokens);
        self.defaultness.to_tokens(tokens);
        self.sig.to_tokens(tokens);
        match &self.body {
            Some(body) => body.to_tokens(tokens),
            None => quote!(;).to_tokens(tokens),
        }
    }
}

impl ToTokens for Item {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Item::Fn(function) => function.to_tokens(tokens),
            Item::Impl(block) => block.to_tokens(tokens),
            Item::Other(other) => other.to_tokens(tokens),
        }
    }
}
