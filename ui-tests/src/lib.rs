//! Compile-pass and compile-fail cases of the perf macros, run by `trybuild`.
//!
//! The cases live in `tests/ui/pass` and `tests/ui/fail`; this library holds what the pass
//! cases share.

/// Returns the snapshot of the site named `name`, or panics with the names of the sites that
/// do exist, so that a wrong expected name is easy to spot.
pub fn site(name: &str) -> perf::SiteSnapshot {
    perf::site(name).unwrap_or_else(|| {
        let names: Vec<&str> = perf::sites().iter().map(|site| site.name).collect();
        panic!("no site is named `{name}`; the sites are {names:?}")
    })
}

/// Returns the names of every site in the binary, sorted.
pub fn site_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = perf::sites().iter().map(|site| site.name).collect();
    names.sort_unstable();
    names
}
