//! `perfctl config FILE [--profile NAME]`: prints the effective configuration with the source
//! of each value.

use std::io::Write;

use super::{Args, Command, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::config::{self, LoadOptions};

pub(super) const COMMAND: Command = Command {
    name: "config",
    usage: "FILE [--profile NAME]",
    summary: "Prints the effective configuration of FILE with profile NAME (default: $PERF_PROFILE) and PERF_<SECTION>__<KEY> overrides, one `key = value  # source` line per value.",
    options: &["profile"],
    run,
};

fn run(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let [file] = args.positional.as_slice() else {
        let _ = writeln!(
            err,
            "perfctl config: expected one FILE, found {}; usage: perfctl config {}",
            args.positional.len(),
            COMMAND.usage
        );
        return EXIT_USAGE;
    };
    let options = match args.option("profile") {
        Some(profile) => LoadOptions::new().command_line_profile(profile),
        None => LoadOptions::new(),
    };

    match config::load_file(file, &options) {
        Ok(loaded) => {
            let profile = loaded.profile.as_deref().unwrap_or("(none)");
            let _ = writeln!(out, "# effective configuration of {file}, profile {profile}");
            let _ = write!(out, "{}", loaded.describe());
            EXIT_OK
        }
        Err(errors) => {
            for error in errors.errors() {
                let _ = writeln!(err, "{error}");
            }
            EXIT_INVALID
        }
    }
}
