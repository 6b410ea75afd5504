// Components: every component with its sites, caches and plugin collectors, its health and
// monitoring status, and switches that turn monitoring of a component or a site on and off.

import { getJson, postJson } from "../api.js";
import { h, replace, pill, notice } from "../dom.js";
import * as format from "../format.js";

export const title = "Components";

export function mount(root, app) {
  const message = h("div");
  const cards = h("div", { class: "grid", id: "components" });
  root.append(message, h("h2", null, "Components"), cards);

  async function toggle(target, enabled, input) {
    input.disabled = true;
    const result = await postJson("api/toggle", Object.assign({ enabled }, target));
    if (!result.ok) {
      input.checked = !enabled;
      replace(message, notice(`Could not turn monitoring ${enabled ? "on" : "off"}: ${result.message}`, true));
    } else {
      replace(message);
    }
    await app.refresh();
  }

  return {
    async refresh() {
      try {
        const data = await getJson("api/components");
        replace(cards, (data.components || []).map((component) => componentCard(component, toggle)));
        if (!cards.children.length) cards.append(notice("No component is registered."));
      } catch (error) {
        replace(message, notice(`Could not load components: ${error.message}`, true));
      }
    },
    onEvent(type) {
      if (type.startsWith("component") || type === "toggle" || type.startsWith("config")) app.refresh();
    },
  };
}

function componentCard(component, toggle) {
  const tone = { healthy: "healthy", degraded: "warning", unhealthy: "critical" }[component.health] || "";
  const enabledSites = component.sites.filter((site) => site.enabled).length;
  const status = component.sites.length === 0 ? "no sites" : enabledSites === component.sites.length ? "monitored" : enabledSites === 0 ? "off" : `${enabledSites} of ${component.sites.length} monitored`;

  return h("article", { class: `card component ${tone} ${enabledSites === 0 && component.sites.length ? "disabled" : ""}`, "data-component": component.name },
    h("header", null,
      h("span", { class: "title" }, component.name),
      component.health ? pill(component.health, tone) : null,
      component.sites.length ? switchFor(`Monitor ${component.name}`, enabledSites > 0, (enabled, input) => toggle({ component: component.name }, enabled, input), "component-toggle") : null,
    ),
    component.health_detail ? h("p", { class: "muted", style: "margin: 0 0 8px; font-size: 13px" }, component.health_detail) : null,
    h("p", { class: "muted", style: "margin: 0 0 6px; font-size: 13px" }, `${status} · ${component.sites.length} sites · ${component.collectors.length} collectors`),
    component.sites.length ? h("div", { class: "table-wrap" }, h("table", null,
      h("thead", null, h("tr", null, h("th", null, "Site"), h("th", { class: "num" }, "Calls"), h("th", { class: "num" }, "Errors"), h("th", null, "Monitoring"))),
      h("tbody", null, component.sites.map((site) => h("tr", { "data-site": site.name },
        h("td", { class: "mono" }, site.function || site.name),
        h("td", { class: "num" }, format.count(site.calls)),
        h("td", { class: "num" }, format.count(site.errors)),
        h("td", null, switchFor(`Monitor ${site.name}`, site.enabled, (enabled, input) => toggle({ site: site.name }, enabled, input), "site-toggle")),
      ))),
    )) : null,
    component.collectors.length ? h("div", { class: "table-wrap" }, h("table", null,
      h("thead", null, h("tr", null, h("th", null, "Collector"), h("th", null, "Kind"), h("th", null, "Monitoring"))),
      h("tbody", null, component.collectors.map((collector) => h("tr", { "data-collector": collector.name },
        h("td", { class: "mono" }, collector.name,
          collector.error ? h("div", { style: "color: var(--critical); font-size: 12px" }, collector.error) : null),
        h("td", null, pill(collector.kind, collector.kind === "cache" ? "metric" : "")),
        h("td", null, switchFor(`Run collector ${collector.name}`, collector.enabled, (enabled, input) => toggle({ collector: collector.name }, enabled, input), "collector-toggle")),
      ))),
    )) : null,
  );
}

function switchFor(label, checked, onChange, name) {
  const input = h("input", { type: "checkbox", role: "switch", "aria-label": label, class: name, checked });
  input.addEventListener("change", () => onChange(input.checked, input));
  return h("label", { class: "switch" }, input, h("span", null, checked ? "on" : "off"));
}
