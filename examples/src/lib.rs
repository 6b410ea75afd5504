//! Runnable programs: see `examples/*.rs`.
