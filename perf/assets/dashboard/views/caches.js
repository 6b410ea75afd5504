// Caches: a card per cache (hit rate, latency, size and memory against capacity, evictions by
// cause, health score and state) and bar charts comparing the caches.

import { getJson } from "../api.js";
import { h, replace, stat, pill, notice } from "../dom.js";
import { barChart } from "../chart.js";
import * as format from "../format.js";

export const title = "Caches";

export function mount(root, app) {
  const message = h("div");
  const comparison = h("section", { id: "caches-comparison" });
  const cards = h("div", { class: "grid", id: "caches" });
  root.append(message, h("h2", null, "Caches"), cards, comparison);

  function render(caches) {
    replace(cards, caches.map(cacheCard));
    if (!caches.length) {
      cards.append(notice("No cache reports to this process: caches appear here once a collector of kind \"cache\" is registered."));
      replace(comparison);
      return;
    }
    const withHitRate = caches.filter((cache) => cache.hit_rate !== null && cache.hit_rate !== undefined);
    const withMemory = caches.filter((cache) => cache.memory_bytes !== null && cache.memory_bytes !== undefined);
    replace(comparison, h("h2", null, "Comparison"), h("div", { class: "grid" },
      h("div", { class: "card" }, barChart({ title: "Hit rate", items: withHitRate.map((cache) => ({ name: cache.name, value: cache.hit_rate, tone: hitTone(cache.hit_rate) })), maximum: 1, format: format.percent })),
      h("div", { class: "card" }, barChart({ title: "Health score", items: caches.filter((cache) => cache.health_score != null).map((cache) => ({ name: cache.name, value: cache.health_score, tone: stateTone(cache.state) })), maximum: 100, format: score })),
      h("div", { class: "card" }, barChart({ title: "Memory", items: withMemory.map((cache) => ({ name: cache.name, value: cache.memory_bytes, tone: "metric" })), maximum: Math.max(0, ...withMemory.map((cache) => cache.memory_bytes)), format: format.bytes })),
    ));
  }

  return {
    async refresh() {
      try {
        const data = await getJson("api/caches");
        replace(message);
        render(data.caches || []);
      } catch (error) {
        replace(message, notice(`Could not load caches: ${error.message}`, true));
      }
    },
    onEvent(type) {
      if (type.startsWith("cache")) app.refresh();
    },
  };
}

function cacheCard(cache) {
  const tone = stateTone(cache.state);
  const evictions = Object.entries(cache.evictions || {});
  return h("article", { class: `card cache ${tone}`, "data-cache": cache.name },
    h("header", null, h("span", { class: "title" }, cache.name), cache.state ? pill(cache.state, tone) : null),
    cache.error ? notice(cache.error, true) : null,
    h("div", { class: "grid small", style: "gap: 6px; margin-bottom: 8px" },
      stat("Hit rate", format.percent(cache.hit_rate), cache.hit_rate == null ? "" : hitTone(cache.hit_rate)),
      stat("Health score", score(cache.health_score), tone),
    ),
    h("div", { class: "numbers" },
      number("hits", format.count(cache.hits)),
      number("misses", format.count(cache.misses)),
      number("p50", format.duration(cache.latency ? cache.latency.p50 : null)),
      number("p99", format.duration(cache.latency ? cache.latency.p99 : null)),
    ),
    usage("Size", cache.size, cache.capacity, format.count),
    h("div", { class: "numbers" },
      number("entries", format.count(cache.entries)),
      number("memory", format.bytes(cache.memory_bytes)),
    ),
    h("div", { class: "label muted", style: "font-size: 12px; margin-top: 6px" }, "Evictions by cause"),
    evictions.length
      ? h("div", { class: "numbers" }, evictions.map(([cause, total]) => number(cause, format.count(total))))
      : h("div", { class: "muted", style: "font-size: 13px" }, "none"),
  );
}

// A bar of `used` against `capacity`; without a capacity, only the number.
function usage(label, used, capacity, formatter) {
  if (used === null || used === undefined) return null;
  const share = capacity ? used / capacity : null;
  const tone = share === null ? "" : share >= 0.95 ? "critical" : share >= 0.8 ? "warning" : "healthy";
  return h("div", { class: "bar-row" },
    h("span", { class: "name" }, label),
    h("div", { class: "track" }, h("div", { class: `fill ${tone}`, style: `width: ${share === null ? 0 : Math.min(100, share * 100).toFixed(1)}%` })),
    h("span", { class: "amount" }, capacity ? `${formatter(used)} / ${formatter(capacity)}` : formatter(used)),
  );
}

// Formats a health score from 0 to 100.
function score(value) {
  return value === null || value === undefined ? "–" : `${Math.round(value)}/100`;
}

function number(label, value) {
  return h("div", null, h("div", { class: "label" }, label), h("div", { class: "value" }, value));
}

function hitTone(rate) {
  if (rate >= 0.8) return "healthy";
  if (rate >= 0.5) return "warning";
  return "critical";
}

function stateTone(state) {
  return { healthy: "healthy", degraded: "warning", critical: "critical" }[state] || "";
}
