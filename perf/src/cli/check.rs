//! `perfctl check FILE [--profile NAME]`: validates a configuration file.

use std::io::Write;

use super::{Args, Command, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::config::{self, LoadOptions};

pub(super) const COMMAND: Command = Command {
    name: "check",
    usage: "FILE [--profile NAME]",
    summary: "Validates FILE with no profile and with each of its profiles (or with NAME only); prints every error as file:line:column: message and exits with 1 if there is any.",
    options: &["profile"],
    run,
};

fn run(args: &Args, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let [file] = args.positional.as_slice() else {
        let _ = writeln!(
            err,
            "perfctl check: expected one FILE, found {}; usage: perfctl check {}",
            args.positional.len(),
            COMMAND.usage
        );
        return EXIT_USAGE;
    };
    let options = match args.option("profile") {
        Some(profile) => LoadOptions::new().command_line_profile(profile),
        None => LoadOptions::new(),
    };

    match config::check_file(file, &options).and_then(check_alerting) {
        Ok(loads) => {
            let profiles: Vec<String> =
                loads.iter().map(|loaded| loaded.profile.clone().unwrap_or_else(|| "(none)".to_owned())).collect();
            let _ = writeln!(out, "{file}: valid (profiles checked: {})", profiles.join(", "));
            EXIT_OK
        }
        Err(errors) => {
            for error in errors.errors() {
                let _ = writeln!(err, "{error}");
            }
            let count = errors.len();
            let _ = writeln!(err, "{file}: {count} error{}", if count == 1 { "" } else { "s" });
            EXIT_INVALID
        }
    }
}

/// Builds the alert manager of every load, as `config::init` does, so that the file passes
/// `check` only if it also starts. The same error under several profiles is reported once.
fn check_alerting(loads: Vec<config::Loaded>) -> Result<Vec<config::Loaded>, config::ConfigErrors> {
    let errors: Vec<config::ConfigError> =
        loads.iter().filter_map(|loaded| crate::alert::from_config::build(loaded).err()).flatten().collect();
    if errors.is_empty() {
        return Ok(loads);
    }
    Err(config::ConfigErrors::from_vec(errors))
}
