//! `#[health_check]`: registers a function returning `perf::Health`, or a `static` that
//! implements `perf::ComponentHealth`, as a health check of a component, through `inventory`.
//!
//! Same layout as `#[monitored]`: the item is parsed (`ast`), checked with every mistake
//! reported at once (`valid`), then the registration is generated next to the unchanged item
//! (`expand`).

mod ast;
mod expand;
mod valid;

pub(crate) use expand::health_check;
