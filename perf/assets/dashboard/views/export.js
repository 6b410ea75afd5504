// Export: download the current numbers in a chosen format, and follow the scheduled exports
// with their last run, result and progress.

import { getJson, getBlob } from "../api.js";
import { h, replace, pill, notice } from "../dom.js";
import * as format from "../format.js";

export const title = "Export";

const FORMATS = [
  ["json", "JSON", "perf-snapshot.json"],
  ["csv", "CSV", "perf-snapshot.csv"],
  ["prometheus", "Prometheus text", "perf-metrics.prom"],
  ["openmetrics", "OpenMetrics", "perf-metrics.om.txt"],
];

export function mount(root, app) {
  const message = h("div");
  const choice = h("select", { id: "export-format", "aria-label": "Format" }, FORMATS.map(([value, label]) => h("option", { value }, label)));
  const download = h("button", { id: "export-download", onclick: () => save(choice.value, download, message) }, "Download");
  const schedules = h("section", { id: "export-schedules" });
  root.append(
    h("h2", null, "Download"),
    h("div", { class: "card" },
      h("div", { class: "toolbar", style: "margin: 0" }, h("label", null, "Format", choice), download),
      h("p", { class: "muted", style: "margin: 8px 0 0; font-size: 13px" }, "The file holds the numbers of this process at the moment of the download."),
    ),
    message,
    schedules,
  );

  return {
    async refresh() {
      try {
        renderSchedules(schedules, (await getJson("api/exports")).map(withLastRun));
      } catch (error) {
        replace(schedules, h("h2", null, "Schedules"), notice(`Could not load the export schedules: ${error.message}`, true));
      }
    },
    onEvent(type) {
      if (type.startsWith("export")) app.refresh();
    },
  };
}

async function save(formatName, button, message) {
  const [, , fallbackName] = FORMATS.find(([value]) => value === formatName);
  button.disabled = true;
  try {
    const { blob, disposition } = await getBlob(`api/export?format=${encodeURIComponent(formatName)}`);
    const match = /filename="?([^";]+)"?/.exec(disposition);
    const link = h("a", { href: URL.createObjectURL(blob), download: match ? match[1] : fallbackName });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    replace(message, notice(`Downloaded ${format.bytes(blob.size)} of ${formatName}.`));
  } catch (error) {
    replace(message, notice(`Download failed: ${error.message}`, true));
  } finally {
    button.disabled = false;
  }
}

// Adds the time and result of the last run to an export status.
function withLastRun(status) {
  const success = status.last_success_ms || 0;
  const failure = status.last_failure_ms || 0;
  let lastResult = null;
  if (success || failure) {
    lastResult = success >= failure ? "ok" : "failed";
  }
  return Object.assign({}, status, { destination: status.directory, last_run_ms: Math.max(success, failure) || null, last_result: lastResult });
}

function renderSchedules(root, schedules) {
  const now = Date.now();
  replace(root, h("h2", null, "Schedules"),
    schedules.length
      ? h("div", { class: "card table-wrap" }, h("table", { id: "schedules" },
        h("thead", null, h("tr", null, h("th", null, "Name"), h("th", null, "Format"), h("th", null, "Directory"), h("th", null, "Last run"), h("th", null, "Result"), h("th", { class: "num" }, "Runs ok / failed"), h("th", null, "Progress"))),
        h("tbody", null, schedules.map((schedule) => h("tr", { "data-schedule": schedule.name },
          h("td", { class: "mono" }, schedule.name),
          h("td", null, String(schedule.format)),
          h("td", { class: "mono" }, schedule.destination || ""),
          h("td", null, format.ago(schedule.last_run_ms, now)),
          h("td", null, pill(schedule.last_result || "never", schedule.last_result || ""),
            schedule.last_result === "failed" && schedule.last_error ? h("div", { class: "mono", style: "color: var(--critical); font-size: 12px" }, schedule.last_error) : null,
            schedule.last_result === "ok" && schedule.last_file ? h("div", { class: "mono muted", style: "font-size: 12px; overflow-wrap: anywhere" }, schedule.last_file) : null),
          h("td", { class: "num" }, `${schedule.successes} / ${schedule.failures}`),
          h("td", null, progress(schedule)),
        ))),
      ))
      : notice("No export is scheduled: schedules are set in the configuration file."));
}

// Shows a bar while a run is in progress, or the streak of failures since the last success.
function progress(schedule) {
  if (schedule.running) {
    const share = Math.max(0, Math.min(1, schedule.progress || 0));
    return h("div", { class: "progress", title: format.percent(share) }, h("div", { style: `width: ${(share * 100).toFixed(0)}%` }));
  }
  if (schedule.consecutive_failures) return pill(`${schedule.consecutive_failures} failed in a row`, "failed");
  return h("span", { class: "muted" }, "idle");
}
