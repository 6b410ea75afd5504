//! The collectors perf registers everywhere, with no set-up: `process` and `perf`.

mod internals;
mod process;
mod procfs;

pub use internals::InternalsCollector;
pub use process::ProcessCollector;
