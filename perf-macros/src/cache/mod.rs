//! `#[derive(MonitoredCache)]`: a typed view of the struct (`ast`), its `#[cache(...)]`
//! attributes as written (`attr`), one checking pass that reports every mistake at its tokens
//! (`valid`), and code generation (`expand`).

mod ast;
mod attr;
mod expand;
mod valid;

pub(crate) use expand::derive;
