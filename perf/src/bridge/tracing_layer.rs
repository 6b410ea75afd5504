//! A `tracing-subscriber` layer that turns chosen spans into sites.
//!
//! A span lives from its creation to its close, so for `#[tracing::instrument]` on a function
//! it lasts one call, awaits included for an `async fn`. The layer enters a site when such a
//! span is created and completes the call when the span closes: the call, its latency and the
//! in-flight count land in the same counters as a `#[monitored]` function. An event at level
//! `ERROR` inside the span (what `#[instrument(err)]` emits when the function returns `Err`)
//! makes the call an error of kind `error`.
//!
//! The sites are registered at run time, one per span call site, the first time that span is
//! created, and appear in [`snapshot`](crate::snapshot) next to the static sites. Registering
//! them in the same registry, rather than reporting them through a collector, gives them what
//! static sites have: windows, time series, exports and alert rules by site name.

use std::collections::HashMap;
use std::sync::RwLock;

use tracing::callsite::Identifier;
use tracing::span::{Attributes, Id};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use crate::registry;
use crate::site::{CallGuard, Features, Outcome, Site, SiteInfo, DEFAULT_ERROR_KIND};

/// Feature bits of span sites: calls, errors, latency and in-flight calls, as
/// [`Features::from_bits`] reads them.
const SPAN_FEATURES: u8 = 0b1111;

/// Records the duration and errors of chosen spans as sites named `target::span_name`.
///
/// Choose the spans with [`span`](TracingLayer::span) (by name), [`target`](TracingLayer::target)
/// (by target, usually the module path, and its submodules) or
/// [`all_spans`](TracingLayer::all_spans); a layer with no rule records nothing.
///
/// ```
/// use tracing_subscriber::layer::SubscriberExt;
///
/// #[tracing::instrument]
/// fn resize(width: u32) -> u32 { width / 2 }
///
/// let layer = perf::bridge::TracingLayer::new().span("resize");
/// let subscriber = tracing_subscriber::registry().with(layer);
/// tracing::subscriber::with_default(subscriber, || resize(640));
///
/// let site = perf::site(concat!(module_path!(), "::resize")).unwrap();
/// assert_eq!(site.calls, 1);
/// ```
#[derive(Debug, Default)]
pub struct TracingLayer {
    names: Vec<String>,
    targets: Vec<String>,
    all: bool,
    component: Option<&'static str>,
    sites: RwLock<HashMap<Identifier, Option<&'static Site>>>,
}

/// The state the layer keeps in a recorded span until it closes.
struct SpanCall {
    guard: CallGuard<SPAN_FEATURES>,
    failed: bool,
}

impl TracingLayer {
    /// Creates a layer that records no span until a rule selects some.
    pub fn new() -> Self {
        TracingLayer::default()
    }

    /// Records the spans with this name (for `#[instrument]`, the function's name).
    pub fn span(mut self, name: impl Into<String>) -> Self {
        self.names.push(name.into());
        self
    }

    /// Records the spans whose target is `target` or lies under it (`shop` matches `shop` and
    /// `shop::cart`, not `shopping`). The target of `#[instrument]` is the module path.
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.targets.push(target.into());
        self
    }

    /// Records every span. Each span call site becomes a site, so use it only where the
    /// number of span call sites is modest.
    pub fn all_spans(mut self) -> Self {
        self.all = true;
        self
    }

    /// Puts the sites in this component; by default each site's component is its span's
    /// target, as a `#[monitored]` function's is its module path.
    pub fn component(mut self, component: &str) -> Self {
        self.component = Some(Box::leak(component.to_owned().into_boxed_str()));
        self
    }

    fn selects(&self, metadata: &Metadata<'_>) -> bool {
        if self.all || self.names.iter().any(|name| name == metadata.name()) {
            return true;
        }
        let target = metadata.target();
        self.targets.iter().any(|prefix| {
            target.strip_prefix(prefix.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        })
    }

    /// Returns the site of a span's call site, registering it on first use, or `None` when the
    /// span is not chosen or its name belongs to a `#[monitored]` function.
    fn site(&self, metadata: &'static Metadata<'static>) -> Option<&'static Site> {
        let callsite = metadata.callsite();
        if let Some(site) = self.sites.read().unwrap_or_else(|poisoned| poisoned.into_inner()).get(&callsite) {
            return *site;
        }

        let site = if self.selects(metadata) { register(metadata, self.component) } else { None };
        self.sites.write().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(callsite, site);
        site
    }
}

impl<S> Layer<S> for TracingLayer
where
    S: Subscriber + for<'lookup> LookupSpan<'lookup>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(site) = self.site(attrs.metadata()) else {
            return;
        };
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(SpanCall { guard: site.enter::<SPAN_FEATURES>(), failed: false });
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if *event.metadata().level() != Level::ERROR {
            return;
        }
        let Some(scope) = ctx.event_scope(event) else {
            return;
        };
        for span in scope {
            if let Some(call) = span.extensions_mut().get_mut::<SpanCall>() {
                call.failed = true;
                return;
            }
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else {
            return;
        };
        let Some(call) = span.extensions_mut().remove::<SpanCall>() else {
            return;
        };
        let failed = call.failed;
        call.guard.finish(|| if failed { Outcome::Error(DEFAULT_ERROR_KIND) } else { Outcome::Success });
    }
}

fn register(metadata: &'static Metadata<'static>, component: Option<&'static str>) -> Option<&'static Site> {
    let target = metadata.target();
    let name: &'static str = Box::leak(format!("{target}::{}", metadata.name()).into_boxed_str());
    let info = SiteInfo {
        name,
        component: component.unwrap_or(target),
        module: metadata.module_path().unwrap_or(target),
        function: metadata.name(),
        labels: &[],
        file: metadata.file().unwrap_or("<unknown>"),
        line: metadata.line().unwrap_or(0),
        features: Features::from_bits(SPAN_FEATURES),
    };

    let site = registry::register_site(info);
    if site.is_none() {
        tracing::debug!(site = name, "span not recorded: a #[monitored] function already has its name");
    }
    site
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_features_are_every_feature() {
        let features = Features::from_bits(SPAN_FEATURES);
        assert_eq!(features, Features { calls: true, errors: true, latency: true, in_flight: true });
    }
}
