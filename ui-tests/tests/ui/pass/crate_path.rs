//! `crate = path` makes the generated code name the runtime through a re-export. The
//! re-export here wraps `__private::call_once`, which every sync call goes through, with a
//! counter, so the test sees that the calls took the given path and not `::perf`.

use std::sync::atomic::Ordering;

use perf_ui_tests::site;

mod telemetry {
    pub use perf::*;

    /// The runtime's generated-code support, with `call_once` counting the calls routed here.
    pub mod __private {
        use std::sync::atomic::{AtomicU64, Ordering};

        pub use perf::__private::*;

        pub static ROUTED_CALLS: AtomicU64 = AtomicU64::new(0);

        pub fn call_once<R>(body: impl FnOnce() -> R) -> R {
            ROUTED_CALLS.fetch_add(1, Ordering::Relaxed);
            body()
        }
    }
}

#[telemetry::monitored(crate = telemetry)]
fn ping() -> Result<(), String> {
    Ok(())
}

mod nested {
    pub(crate) struct Pool;

    #[crate::telemetry::monitored(crate = crate::telemetry, component = "pool")]
    impl Pool {
        pub(crate) fn acquire(&self) -> u32 {
            1
        }

        #[monitored(calls)]
        pub(crate) fn release(&self) {}
    }
}

fn main() {
    assert_eq!(ping(), Ok(()));
    assert_eq!(telemetry::__private::ROUTED_CALLS.load(Ordering::Relaxed), 1);

    let pool = nested::Pool;
    assert_eq!(pool.acquire(), 1);
    pool.release();
    assert_eq!(telemetry::__private::ROUTED_CALLS.load(Ordering::Relaxed), 3);

    assert_eq!(site(concat!(module_path!(), "::ping")).calls, 1);
    assert_eq!(site(concat!(module_path!(), "::nested::Pool::acquire")).calls, 1);
    assert_eq!(site(concat!(module_path!(), "::nested::Pool::release")).calls, 1);
    assert_eq!(telemetry::snapshot().sites.len(), 3);
}
