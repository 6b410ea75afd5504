// Alerts: active alerts with their state, escalation level and actions (acknowledge,
// silence), the history of state changes, and the receivers with their last delivery.

import { getJson, postJson } from "../api.js";
import { h, replace, pill, notice } from "../dom.js";
import * as format from "../format.js";

export const title = "Alerts";

const SILENCE_CHOICES = ["15m", "1h", "4h", "24h"];

export function mount(root, app) {
  const message = h("div");
  const actionMessage = h("div");
  const active = h("section", { id: "alerts-active" });
  const history = h("section", { id: "alerts-history" });
  const receivers = h("section", { id: "alerts-receivers" });
  root.append(message, actionMessage, active, receivers, history);

  async function act(path, payload, button) {
    button.disabled = true;
    const result = await postJson(path, payload);
    if (!result.ok) replace(actionMessage, notice(`${path.split("/").pop()} failed: ${result.message}`, true));
    else replace(actionMessage);
    await app.refresh();
  }

  function render(data) {
    const now = Date.now();
    if (!data.installed) {
      replace(active, h("h2", null, "Active alerts"), notice("No alert manager is installed in this process: alert rules come from the configuration file or from perf::alert::install."));
      replace(receivers);
      replace(history);
      return;
    }
    const alerts = data.active || [];
    replace(active, h("h2", null, `Active alerts (${alerts.length})`),
      alerts.length
        ? h("div", { class: "grid" }, alerts.map((alert) => alertCard(alert, now, act)))
        : notice("No alert is pending or firing."));

    const deliveries = data.receivers || [];
    replace(receivers, h("h2", null, "Receivers"),
      deliveries.length ? receiverTable(deliveries, now) : notice("No notification has been sent yet."));

    const changes = (data.history || []).slice().sort((a, b) => b.at_ms - a.at_ms);
    replace(history, h("h2", null, "History"),
      changes.length
        ? h("ol", { class: "timeline", id: "alerts-timeline" }, changes.map(timelineEntry))
        : notice("No alert has changed state yet."));
  }

  return {
    async refresh() {
      try {
        render(await getJson("api/alerts"));
        replace(message);
      } catch (error) {
        replace(message, notice(`Alerts are not available: ${error.message}`, true));
      }
    },
    onEvent(type) {
      if (type.startsWith("alert")) app.refresh();
    },
  };
}

// Returns the colour class of an alert card: red for a critical firing alert, orange for a
// warning or a pending alert, green otherwise.
function alertTone(alert) {
  if (alert.state === "firing") {
    return alert.severity === "warning" ? "warning" : "critical";
  }
  if (alert.state === "pending") {
    return "warning";
  }
  return "healthy";
}

// Returns the colour class of a severity pill.
function severityTone(severity) {
  if (severity === "critical" || severity === "warning") {
    return severity;
  }
  return "metric";
}

function alertCard(alert, now, act) {
  const tone = alertTone(alert);
  const silence = h("select", { "aria-label": "Silence for" }, SILENCE_CHOICES.map((choice) => h("option", { value: choice }, choice)));
  const silenced = alert.silenced_until_ms && alert.silenced_until_ms > now;

  return h("article", { class: `card alert ${tone}`, "data-alert": alert.id, "data-rule": alert.rule },
    h("header", null,
      h("span", { class: "title" }, alert.rule),
      pill(alert.state, alert.state),
      alert.severity ? pill(alert.severity, severityTone(alert.severity)) : null,
    ),
    alert.summary ? h("p", { style: "margin: 0 0 8px" }, alert.summary) : null,
    h("div", { class: "numbers" },
      h("div", null, h("div", { class: "label" }, "value"), h("div", { class: "value" }, formatValue(alert.value))),
      h("div", null, h("div", { class: "label" }, "since"), h("div", { class: "value" }, format.ago(alert.since_ms, now))),
      alert.escalation_level !== undefined ? h("div", null, h("div", { class: "label" }, "escalation"), h("div", { class: "value" }, `level ${alert.escalation_level}${alert.escalation_levels ? " of " + alert.escalation_levels : ""}`)) : null,
      alert.flapping ? h("div", null, h("div", { class: "label" }, "flapping"), h("div", { class: "value" }, "yes")) : null,
    ),
    labelList(alert.labels),
    h("div", { class: "actions" },
      alert.state === "resolved" ? null : alert.acknowledged
        ? pill(`acknowledged${alert.acknowledged_by ? " by " + alert.acknowledged_by : ""}`, "acknowledged")
        : h("button", { class: "ack", onclick: (event) => act("api/alerts/ack", { id: alert.id }, event.target) }, "Acknowledge"),
      alert.muted === "inhibited" ? pill("inhibited", "silenced") : null,
      silenced
        ? pill(`silenced until ${format.clock(alert.silenced_until_ms)}`, "silenced")
        : alert.state === "resolved" ? null : [silence, h("button", { class: "secondary silence", onclick: (event) => act("api/alerts/silence", { id: alert.id, duration: silence.value }, event.target) }, "Silence")],
    ),
  );
}

function timelineEntry(change) {
  const time = h("time", { datetime: new Date(change.at_ms).toISOString() }, format.dateTime(change.at_ms));
  if (change.kind === "acknowledged") {
    return h("li", { style: "--pill: var(--metric)" }, time, h("span", { class: "mono" }, change.rule), " ", pill("acknowledged", "acknowledged"), change.by ? ` by ${change.by}` : "");
  }
  return h("li", { style: `--pill: var(--${toneOf(change.to)})` }, time,
    h("span", { class: "mono" }, change.rule), " ", pill(change.from || "inactive", pillTone(change.from)), " → ", pill(change.to, pillTone(change.to)),
    change.value !== undefined && change.value !== null ? h("span", { class: "muted" }, ` value ${formatValue(change.value)}`) : null);
}

function receiverTable(receivers, now) {
  return h("div", { class: "table-wrap" }, h("table", { id: "receivers" },
    h("thead", null, h("tr", null, h("th", null, "Receiver"), h("th", null, "Last delivery"), h("th", null, "Status"), h("th", { class: "num" }, "Failed / sent"), h("th", null, "Last error"))),
    h("tbody", null, receivers.map((receiver) => h("tr", null,
      h("td", { class: "mono" }, receiver.name),
      h("td", null, format.ago(receiver.last_delivery_ms, now)),
      h("td", null, pill(receiver.last_status || "never", { ok: "ok", failed: "failed", retrying: "warning", pending: "pending" }[receiver.last_status] || "")),
      h("td", { class: "num" }, `${receiver.failures ?? 0} / ${receiver.deliveries ?? 0}`),
      h("td", { class: "mono" }, receiver.last_error || ""),
    ))),
  ));
}

function labelList(labels) {
  const entries = Object.entries(labels || {});
  if (!entries.length) return null;
  return h("p", { class: "mono muted", style: "font-size: 12px; margin: 0 0 8px; overflow-wrap: anywhere" }, entries.map(([key, value]) => `${key}=${value}`).join(" "));
}

// Returns the colour name of a state, for the timeline's dots.
function toneOf(state) {
  return { firing: "critical", pending: "warning", resolved: "healthy" }[state] || "muted";
}

// Returns the class of a state's pill; the grey default pill stands for inactive.
function pillTone(state) {
  return { firing: "firing", pending: "pending", resolved: "resolved" }[state] || "";
}

function formatValue(value) {
  if (value === null || value === undefined) return "–";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return String(value);
}
