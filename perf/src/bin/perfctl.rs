//! `perfctl`: validates perf configuration files and prints their effective configuration.
//! Run `perfctl help` for the commands.

fn main() {
    let arguments = std::env::args_os().skip(1).collect();
    let status = perf::cli::run(arguments, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    std::process::exit(status);
}
