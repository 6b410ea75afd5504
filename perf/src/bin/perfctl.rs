//! `perfctl`: validates perf configuration files, prints their effective configuration, writes
//! their alert rules as a Prometheus rule file, writes a Grafana dashboard and renders HTML
//! reports. Run `perfctl help` for the commands.

fn main() {
    let arguments = std::env::args_os().skip(1).collect();
    let status = perf::cli::run(arguments, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    std::process::exit(status);
}
