//! Metric macros for code that is not a whole function: `counter!`, `gauge!`, `float_gauge!`,
//! `histogram!`, `timer!` and `measure!`.
//!
//! With a literal name and literal labels the metric is registered statically (it is listed in
//! snapshots before its first use) and each call site caches it, so a call costs one atomic
//! load. Any other name or label value is looked up in the registry on every call: keep the
//! returned `&'static` handle when that happens in a loop.

/// Returns the [`Counter`](crate::Counter) with this name and labels.
///
/// ```
/// perf::counter!("jobs_done", "queue" => "email").increment();
///
/// let queue = String::from("sms");
/// perf::counter!("jobs_done", "queue" => queue).add(2);
/// ```
#[macro_export]
macro_rules! counter {
    ($($tokens:tt)+) => { $crate::__metric_call_site!(Counter, counter, $($tokens)+) };
}

/// Returns the integer [`Gauge`](crate::Gauge) with this name and labels.
///
/// ```
/// perf::gauge!("queue_length", "queue" => "email").set(12);
/// ```
#[macro_export]
macro_rules! gauge {
    ($($tokens:tt)+) => { $crate::__metric_call_site!(Gauge, gauge, $($tokens)+) };
}

/// Returns the floating-point [`FloatGauge`](crate::FloatGauge) with this name and labels.
///
/// ```
/// perf::float_gauge!("load_average").set(0.75);
/// ```
#[macro_export]
macro_rules! float_gauge {
    ($($tokens:tt)+) => { $crate::__metric_call_site!(FloatGauge, float_gauge, $($tokens)+) };
}

/// Returns the [`Histogram`](crate::Histogram) with this name and labels.
///
/// ```
/// perf::histogram!("payload_bytes", "route" => "/upload").record(4096);
/// ```
#[macro_export]
macro_rules! histogram {
    ($($tokens:tt)+) => { $crate::__metric_call_site!(Histogram, histogram, $($tokens)+) };
}

/// Starts a [`Timer`](crate::Timer) that records the nanoseconds until it is dropped into the
/// named histogram.
///
/// ```
/// fn flush() {
///     let _timer = perf::timer!("flush_duration");
///     // ... work ...
/// }
/// flush();
/// ```
#[macro_export]
macro_rules! timer {
    ($($tokens:tt)+) => { $crate::histogram!($($tokens)+).start_timer() };
}

/// Evaluates an expression and records how long it took, in nanoseconds, into the named
/// histogram.
///
/// ```
/// let sum = perf::measure!("sum_duration", (1..1000u64).sum::<u64>());
/// assert_eq!(sum, 499_500);
///
/// let stage = String::from("warm");
/// let product = perf::measure!("product_duration", "stage" => stage, (1..=5u64).product::<u64>());
/// assert_eq!(product, 120);
/// ```
#[macro_export]
macro_rules! measure {
    ($name:literal, $($rest:tt)+) => { $crate::__measure!([$name] $($rest)+) };
    ($name:expr, $($rest:tt)+) => { $crate::__measure!([$name] $($rest)+) };
}

/// Moves the `key => value` labels of `measure!` one at a time into the bracketed metric
/// tokens, until only the measured expression is left. A label and the expression cannot be
/// told apart by one `macro_rules!` pattern, because both may start with a literal.
#[doc(hidden)]
#[macro_export]
macro_rules! __measure {
    ([$($metric:tt)*] $key:literal => $value:literal, $($rest:tt)+) => {
        $crate::__measure!([$($metric)*, $key => $value] $($rest)+)
    };
    ([$($metric:tt)*] $key:expr => $value:expr, $($rest:tt)+) => {
        $crate::__measure!([$($metric)*, $key => $value] $($rest)+)
    };
    ([$($metric:tt)*] $body:expr $(,)?) => {{
        let __perf_timer = $crate::timer!($($metric)*);
        let __perf_value = $body;
        __perf_timer.stop();
        __perf_value
    }};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __metric_call_site {
    ($type:ident, $resolve:ident, $name:literal $(, $key:literal => $value:literal)* $(,)?) => {{
        static __PERF_CALL_SITE: $crate::__private::CallSite<$crate::$type> =
            $crate::__private::CallSite::new($name, &[$(($key, $value)),*]);
        $crate::__private::inventory::submit! {
            $crate::__private::MetricDescriptor {
                name: $name,
                labels: &[$(($key, $value)),*],
                kind: $crate::MetricKind::$type,
            }
        }
        __PERF_CALL_SITE.get()
    }};
    ($type:ident, $resolve:ident, $name:expr $(, $key:expr => $value:expr)* $(,)?) => {
        $crate::registry::$resolve(
            $crate::__private::label_str(&$name),
            &[$(($crate::__private::label_str(&$key), $crate::__private::label_str(&$value))),*],
        )
    };
}
