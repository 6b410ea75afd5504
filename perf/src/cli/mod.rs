//! The `perfctl` command line: validate a configuration file, print its effective
//! configuration, and write reports, Prometheus rules and a Grafana dashboard.
//!
//! ```text
//! perfctl check FILE [--profile NAME]     exit 1 and print every error as file:line:column: message
//! perfctl config FILE [--profile NAME]    print the effective configuration with the source of each value
//! perfctl report SNAPSHOT.json... -o report.html    write an HTML report from JSON exports
//! perfctl report --url http://127.0.0.1:9184 -o report.html    the same from a running process
//! perfctl rules FILE [--profile NAME] [--range 1m] [-o OUT]    write the alert rules as a Prometheus rule file
//! perfctl grafana [-o OUT]                write the Grafana dashboard JSON
//! ```
//!
//! Each subcommand is one entry of [`COMMANDS`] with its own module, so a new subcommand adds
//! an entry. Arguments are parsed by hand ([`Args`]) because the binary shares the
//! dependencies of the library: two subcommands with one option do not justify adding an
//! argument parser to every program that uses `perf`.

mod args;
mod check;
mod grafana;
mod report;
mod rules;
mod show;

use std::ffi::OsString;
use std::io::Write;

pub use args::{Args, UsageError};

/// Exit status of a successful command.
pub const EXIT_OK: i32 = 0;
/// Exit status when the configuration is invalid.
pub const EXIT_INVALID: i32 = 1;
/// Exit status of a command line that cannot be understood.
pub const EXIT_USAGE: i32 = 2;

/// A subcommand of `perfctl`.
#[derive(Debug, Clone, Copy)]
pub struct Command {
    /// Name typed on the command line.
    pub name: &'static str,
    /// Arguments, as shown in the usage line.
    pub usage: &'static str,
    /// One line of help.
    pub summary: &'static str,
    /// Options the command accepts, each taking a value.
    pub options: &'static [&'static str],
    /// Runs the command and returns its exit status.
    pub run: fn(&Args, &mut dyn Write, &mut dyn Write) -> i32,
}

/// Every subcommand, in the order of the help text.
pub const COMMANDS: &[Command] = &[check::COMMAND, show::COMMAND, report::COMMAND, rules::COMMAND, grafana::COMMAND];

/// Runs `perfctl` with `arguments` (without the program name), writing to `out` and `err`,
/// and returns the exit status.
///
/// ```
/// let mut out = Vec::new();
/// let mut err = Vec::new();
/// let status = perf::cli::run(vec!["help".into()], &mut out, &mut err);
/// assert_eq!(status, 0);
/// assert!(String::from_utf8(out).unwrap().contains("perfctl check FILE"));
/// ```
pub fn run(arguments: Vec<OsString>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let mut arguments = arguments.into_iter();
    let Some(name) = arguments.next() else {
        let _ = write_help(err);
        return EXIT_USAGE;
    };
    let name = name.to_string_lossy().into_owned();
    if matches!(name.as_str(), "help" | "--help" | "-h") {
        let _ = write_help(out);
        return EXIT_OK;
    }
    if matches!(name.as_str(), "--version" | "-V") {
        let _ = writeln!(out, "perfctl {}", env!("CARGO_PKG_VERSION"));
        return EXIT_OK;
    }

    let Some(command) = COMMANDS.iter().find(|command| command.name == name) else {
        let hint = crate::config::suggest::did_you_mean(&name, COMMANDS.iter().map(|command| command.name));
        let _ = writeln!(err, "perfctl: unknown command `{name}`{hint}; run `perfctl help` for the list");
        return EXIT_USAGE;
    };
    match Args::parse(arguments, command.options) {
        Ok(args) if args.help => {
            let _ = writeln!(out, "usage: perfctl {} {}\n\n{}", command.name, command.usage, command.summary);
            EXIT_OK
        }
        Ok(args) => (command.run)(&args, out, err),
        Err(error) => {
            let _ =
                writeln!(err, "perfctl {}: {error}\nusage: perfctl {} {}", command.name, command.name, command.usage);
            EXIT_USAGE
        }
    }
}

fn write_help(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "perfctl: configuration tool of the perf instrumentation toolkit\n\nusage:")?;
    for command in COMMANDS {
        writeln!(out, "  perfctl {} {}\n      {}", command.name, command.usage, command.summary)?;
    }
    writeln!(out, "\nThe profile defaults to $PERF_PROFILE; PERF_<SECTION>__<KEY> variables override single keys.")
}
