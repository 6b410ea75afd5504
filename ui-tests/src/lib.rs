//! Compile-pass and compile-fail cases of the perf macros, run by `trybuild`.
