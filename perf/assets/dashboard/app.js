// Entry point: routes `#/view` to one of the six views, runs the refresh timer and the live
// event stream, and keeps the firing-alert count in the navigation up to date.

import { getJson } from "./api.js";
import { replace, notice } from "./dom.js";
import { Live } from "./live.js";
import * as metrics from "./views/metrics.js";
import * as alerts from "./views/alerts.js";
import * as caches from "./views/caches.js";
import * as components from "./views/components.js";
import * as settings from "./views/settings.js";
import * as exports from "./views/export.js";

const VIEWS = { metrics, alerts, caches, components, settings, export: exports };
const REFRESH_KEY = "perf.refreshMs";
const REFRESH_CHOICES = [1000, 5000, 30000, 0];

const app = {
  live: new Live("api/events"),
  refreshMs: loadRefresh(),
  current: null,
  currentName: "",
  timer: null,
  refreshing: false,

  // Sets the refresh interval in milliseconds; 0 pauses refreshing.
  setRefresh(ms) {
    this.refreshMs = ms;
    try {
      localStorage.setItem(REFRESH_KEY, String(ms));
    } catch {
      // Without storage the choice lasts until the page is closed.
    }
    this.schedule();
  },

  // Refreshes the current view now, unless a refresh is already running.
  async refresh() {
    if (!this.current || this.refreshing) return;
    this.refreshing = true;
    try {
      await this.current.refresh();
    } catch (error) {
      console.error("perf dashboard: refresh of", this.currentName, "failed:", error);
    } finally {
      this.refreshing = false;
    }
  },

  schedule() {
    clearInterval(this.timer);
    this.timer = null;
    if (this.refreshMs > 0) this.timer = setInterval(() => this.refresh(), this.refreshMs);
  },
};

function loadRefresh() {
  try {
    const stored = localStorage.getItem(REFRESH_KEY);
    if (stored !== null && REFRESH_CHOICES.includes(Number(stored))) return Number(stored);
  } catch {
    // Fall through to the default.
  }
  return 5000;
}

function route() {
  const name = (location.hash.replace(/^#\/?/, "").split("?")[0] || "metrics").toLowerCase();
  const view = VIEWS[name];
  const root = document.getElementById("view");

  for (const link of document.querySelectorAll("#nav a")) {
    link.classList.toggle("active", link.dataset.view === name);
  }
  if (app.current && app.current.unmount) app.current.unmount();
  app.current = null;
  app.currentName = name;

  if (!view) {
    replace(root, notice(`There is no view "${name}". Choose one of the tabs above.`, true));
    return;
  }
  document.title = `perf · ${view.title}`;
  root.dataset.view = name;
  replace(root);
  app.current = view.mount(root, app);
  app.refresh();
}

async function updateFiringCount() {
  const badge = document.getElementById("firing-count");
  try {
    const data = await getJson("api/alerts");
    const firing = (data.active || []).filter((alert) => alert.state === "firing").length;
    badge.textContent = String(firing);
    badge.hidden = firing === 0;
  } catch {
    badge.hidden = true;
  }
}

function showStatus(state, detail) {
  const dot = document.getElementById("live-dot");
  const text = document.getElementById("live-text");
  if (state === "live") {
    dot.className = "dot live";
    text.textContent = "live";
  } else if (state === "down") {
    dot.className = "dot down";
    text.textContent = `offline: ${detail}`;
  } else {
    dot.className = "dot";
    text.textContent = "connecting";
  }
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", () => {
  app.live.onStatus(showStatus);
  app.live.on("*", (data, type) => {
    if (app.current && app.current.onEvent) app.current.onEvent(type, data);
    if (type.startsWith("alert")) updateFiringCount();
  });
  app.live.start();
  app.schedule();
  route();
  updateFiringCount();
});
