//! `perfctl grafana [-o OUT]`: writes the Grafana dashboard of the exported families.

use std::io::Write;
use std::path::Path;

use super::{Args, Command, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::export::grafana::{dashboard, DashboardOptions};
use crate::export::write_atomic;

pub(super) const COMMAND: Command = Command {
    name: "grafana",
    usage: "[-o OUT]",
    summary: "Writes the Grafana dashboard JSON of the perf metrics (to OUT, or to standard output), to import into Grafana on top of a Prometheus data source.",
    options: &["o"],
    run,
};

fn run(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    if !args.positional.is_empty() {
        let _ = writeln!(
            err,
            "perfctl grafana: unexpected argument {:?}; usage: perfctl grafana {}",
            args.positional[0], COMMAND.usage
        );
        return EXIT_USAGE;
    }
    let json = match serde_json::to_string_pretty(&dashboard(&DashboardOptions::default())) {
        Ok(json) => json + "\n",
        Err(error) => {
            let _ = writeln!(err, "perfctl grafana: failed to render the dashboard: {error}");
            return EXIT_INVALID;
        }
    };
    let written = match args.option("o") {
        Some(path) => write_atomic(Path::new(path), json.as_bytes()),
        None => out.write_all(json.as_bytes()),
    };
    match written {
        Ok(()) => EXIT_OK,
        Err(error) => {
            let _ = writeln!(err, "perfctl grafana: failed to write the dashboard: {error}");
            EXIT_INVALID
        }
    }
}
