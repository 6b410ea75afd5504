//! Families about the process itself: the build info and the results of scheduled exports.

use super::writer::{Kind, NoLabels, Value, Writer};
use super::Exposition;
use crate::export::ExportStatus;

/// Writes `build_info`: an info family (a gauge in 0.0.4) whose labels carry the perf version
/// and, when set, the application's name and version.
pub(super) fn write_build_info(exposition: &Exposition, writer: &mut Writer<'_>) {
    let help = "Versions of the perf crate and of the application; the value is always 1.";
    if !writer.family(exposition.prefix(), "build", Kind::Info, None, help) {
        return;
    }

    let options = exposition.options();
    let mut own = [("version", env!("CARGO_PKG_VERSION")), ("", ""), ("", "")];
    let mut len = 1;
    if let Some(app) = &options.app_name {
        own[len] = ("app", app);
        len += 1;
    }
    if let Some(version) = &options.app_version {
        own[len] = ("app_version", version);
        len += 1;
    }
    writer.sample("_info", &own[..len], &NoLabels, None, Value::Unsigned(1));
}

/// Writes the run counts and the last success time of every scheduled export.
pub(super) fn write_exports(exposition: &Exposition, writer: &mut Writer<'_>, exports: &[ExportStatus]) {
    if exports.is_empty() {
        return;
    }
    let prefix = exposition.prefix();

    let help = "Runs of scheduled exports, by result: success, or failure (the previous file is left intact).";
    if writer.family(prefix, "export_runs", Kind::Counter, None, help) {
        for export in exports {
            let success = [("export", export.name.as_str()), ("result", "success")];
            writer.sample("_total", &success, &NoLabels, None, Value::Unsigned(export.successes));
            let failure = [("export", export.name.as_str()), ("result", "failure")];
            writer.sample("_total", &failure, &NoLabels, None, Value::Unsigned(export.failures));
        }
    }

    let help = "Time of the last successful run of a scheduled export, in seconds since the Unix epoch.";
    if writer.family(prefix, "export_last_success_timestamp_seconds", Kind::Gauge, Some("seconds"), help) {
        for export in exports {
            if let Some(at_ms) = export.last_success_ms {
                let own = [("export", export.name.as_str())];
                writer.sample("", &own, &NoLabels, None, Value::Float(at_ms as f64 / 1000.0));
            }
        }
    }

    let help = "Failed runs of a scheduled export since its last success.";
    if writer.family(prefix, "export_consecutive_failures", Kind::Gauge, None, help) {
        for export in exports {
            let own = [("export", export.name.as_str())];
            writer.sample("", &own, &NoLabels, None, Value::Unsigned(export.consecutive_failures));
        }
    }
}
