// Metrics: one card per instrumented site with its rate, error rate and p50/p99 latency over
// the chosen time window, plus totals for the whole process.

import { getJson } from "../api.js";
import { h, replace, stat, pill, notice } from "../dom.js";
import { lineChart, COLOURS } from "../chart.js";
import * as format from "../format.js";

export const title = "Metrics";

const WINDOWS = [
  [60_000, "last 1 min"],
  [300_000, "last 5 min"],
  [900_000, "last 15 min"],
  [3_600_000, "last 1 h"],
  [21_600_000, "last 6 h"],
  [86_400_000, "last 24 h"],
];
const REFRESH = [
  [1000, "1 s"],
  [5000, "5 s"],
  [30000, "30 s"],
  [0, "paused"],
];
const SORTS = {
  name: (a, b) => a.name.localeCompare(b.name),
  rate: (a, b) => windowRate(b) - windowRate(a) || a.name.localeCompare(b.name),
  p99: (a, b) => windowP99(b) - windowP99(a) || a.name.localeCompare(b.name),
  errors: (a, b) => (b.window ? b.window.error_rate : 0) - (a.window ? a.window.error_rate : 0) || b.errors - a.errors || a.name.localeCompare(b.name),
};

export function mount(root, app) {
  const state = { search: "", component: "", windowMs: 300_000, sort: "name", snapshot: null, series: null };

  const search = h("input", { type: "search", id: "metrics-search", placeholder: "site name contains…", "aria-label": "Search sites", oninput: () => { state.search = search.value.trim().toLowerCase(); render(); } });
  const component = h("select", { id: "metrics-component", onchange: () => { state.component = component.value; render(); } }, h("option", { value: "" }, "all components"));
  const windowSelect = h("select", { id: "metrics-window", onchange: () => { state.windowMs = Number(windowSelect.value); app.refresh(); } }, WINDOWS.map(([ms, label]) => h("option", { value: ms }, label)));
  windowSelect.value = String(state.windowMs);
  const sort = h("select", { id: "metrics-sort", onchange: () => { state.sort = sort.value; render(); } },
    h("option", { value: "name" }, "name"), h("option", { value: "rate" }, "busiest"), h("option", { value: "p99" }, "slowest p99"), h("option", { value: "errors" }, "most errors"));
  const refresh = h("select", { id: "refresh-interval", onchange: () => app.setRefresh(Number(refresh.value)) }, REFRESH.map(([ms, label]) => h("option", { value: ms }, label)));
  refresh.value = String(app.refreshMs);

  const toolbar = h("div", { class: "toolbar" },
    h("label", null, "Search", search),
    h("label", null, "Component", component),
    h("label", null, "Time window", windowSelect),
    h("label", null, "Sort", sort),
    h("label", null, "Refresh", refresh),
  );
  const message = h("div");
  const totals = h("div", { class: "grid small", id: "metrics-totals" });
  const info = h("p", { class: "muted", id: "metrics-info" });
  const cards = h("div", { class: "grid", id: "metrics-sites" });
  root.append(toolbar, message, totals, info, cards);

  function render() {
    const snapshot = state.snapshot;
    if (!snapshot) return;

    const components = [...new Set(snapshot.sites.map((site) => site.component))].sort();
    if (component.options.length !== components.length + 1) {
      replace(component, h("option", { value: "" }, "all components"), components.map((name) => h("option", { value: name }, name)));
      component.value = components.includes(state.component) ? state.component : "";
    }

    const sites = snapshot.sites
      .filter((site) => !state.component || site.component === state.component)
      .filter((site) => !state.search || site.name.toLowerCase().includes(state.search))
      .sort(SORTS[state.sort]);

    renderTotals(totals, snapshot);
    const series = state.series || { series: [], resolution_ms: 0 };
    const pointsBySite = new Map(series.series.map((entry) => [entry.site, entry.points]));
    const to = snapshot.taken_at_ms;
    const from = to - state.windowMs;
    info.textContent = `${sites.length} of ${snapshot.sites.length} sites · points every ${format.duration((series.resolution_ms || 0) * 1e6)} · collector ${snapshot.collector.running ? "running" : "stopped"}, ${snapshot.collector.ticks} ticks`;
    replace(cards, sites.map((site) => siteCard(site, pointsBySite.get(site.name) || [], from, to)));
    if (!sites.length) cards.append(notice(snapshot.sites.length ? "No site matches the search." : "This process has no instrumented sites."));
  }

  return {
    async refresh() {
      try {
        const [snapshot, series] = await Promise.all([getJson("api/snapshot"), getJson(`api/series?window_ms=${state.windowMs}`)]);
        state.snapshot = snapshot;
        state.series = series;
        replace(message);
      } catch (error) {
        replace(message, notice(`Could not load metrics: ${error.message}`, true));
      }
      render();
    },
    onEvent(type) {
      if (type.startsWith("config") || type === "toggle") app.refresh();
    },
  };
}

function renderTotals(root, snapshot) {
  const sites = snapshot.sites;
  const rate = sites.reduce((sum, site) => sum + windowRate(site), 0);
  const windowCalls = sites.reduce((sum, site) => sum + (site.window ? site.window.calls : 0), 0);
  const windowErrors = sites.reduce((sum, site) => sum + (site.window ? site.window.errors : 0), 0);
  const calls = sites.reduce((sum, site) => sum + site.calls, 0);
  const errorRate = windowCalls ? windowErrors / windowCalls : 0;
  const inFlight = sites.reduce((sum, site) => sum + site.in_flight, 0);
  replace(root,
    h("div", { class: "card" }, stat("Sites", String(sites.length))),
    h("div", { class: "card" }, stat("Calls per second", format.rate(rate))),
    h("div", { class: "card" }, stat("Error rate (last window)", format.percent(errorRate), errorTone(errorRate))),
    h("div", { class: "card" }, stat("Calls since start", format.count(calls))),
    h("div", { class: "card" }, stat("In flight", format.count(inFlight))),
  );
}

function siteCard(site, points, from, to) {
  const window = site.window;
  const latency = window && window.latency;
  const tone = !site.enabled ? "disabled" : window && window.calls ? errorTone(window.error_rate) : "";

  const ratePoints = points.map((point) => [point.end_ms, point.duration_ms ? (point.calls * 1000) / point.duration_ms : null]);
  const errorPoints = points.map((point) => [point.end_ms, point.calls ? point.errors / point.calls : null]);
  const p50Points = points.map((point) => [point.end_ms, point.calls ? point.latency.p50 : null]);
  const p99Points = points.map((point) => [point.end_ms, point.calls ? point.latency.p99 : null]);

  return h("article", { class: `card site ${tone}`, "data-site": site.name },
    h("header", null,
      h("span", { class: "title" }, site.name),
      pill(site.component, "metric"),
      site.enabled ? null : pill("off", "critical"),
    ),
    h("div", { class: "numbers" },
      number("rate", format.rate(window ? window.rate_per_sec : 0)),
      number("error rate", format.percent(window ? window.error_rate : 0)),
      number("p50", format.duration(latency ? latency.p50 : null)),
      number("p99", format.duration(latency ? latency.p99 : null)),
      number("calls", format.count(site.calls)),
      number("errors", format.count(site.errors)),
      number("in flight", format.count(site.in_flight)),
      site.cancelled ? number("cancelled", format.count(site.cancelled)) : null,
    ),
    h("div", { class: "charts" },
      lineChart({ title: "Rate", lines: [{ name: "calls/s", colour: COLOURS.metric, points: ratePoints }], from, to, format: format.count }),
      lineChart({ title: "Error rate", lines: [{ name: "errors/calls", colour: COLOURS.critical, points: errorPoints }], from, to, format: format.percent }),
      lineChart({ title: "Latency", lines: [{ name: "p50", colour: COLOURS.metric, points: p50Points }, { name: "p99", colour: COLOURS.warning, points: p99Points }], from, to, format: format.duration }),
    ),
  );
}

function number(label, value) {
  return h("div", null, h("div", { class: "label" }, label), h("div", { class: "value" }, value));
}

function windowRate(site) {
  return site.window ? site.window.rate_per_sec : 0;
}

function windowP99(site) {
  return site.window && site.window.latency ? site.window.latency.p99 : 0;
}

function errorTone(rate) {
  if (rate >= 0.05) return "critical";
  if (rate >= 0.01) return "warning";
  return "healthy";
}
