//! Integration tests of the perf workspace live in `tests/`.
