// Settings: the active profile and a selector, threshold forms whose errors come from the same
// validation as the configuration file and show next to the field, monitoring toggles, and the
// bearer token this browser sends.

import { getJson, postJson, token, setToken } from "../api.js";
import { h, replace, pill, notice } from "../dom.js";

export const title = "Settings";

export function mount(root, app) {
  const message = h("div");
  const profile = h("section", { id: "settings-profile" });
  const thresholds = h("section", { id: "settings-thresholds" });
  const toggles = h("section", { id: "settings-toggles" });
  const access = h("section", { id: "settings-token" }, tokenForm(app));
  root.append(message, profile, thresholds, toggles, access);

  function render(settings) {
    renderProfile(profile, settings, app, message);
    renderThresholds(thresholds, settings.thresholds || []);
    renderToggles(toggles, settings.toggles || [], app, message);
  }

  return {
    async refresh() {
      // A form being edited is not redrawn, so typed text and its error stay in place.
      if (root.querySelector(".field.editing")) return;
      try {
        render(await getJson("api/settings"));
        replace(message);
      } catch (error) {
        replace(message, notice(`Could not load settings: ${error.message}`, true));
      }
    },
    onEvent(type) {
      if (type.startsWith("config") || type === "toggle") app.refresh();
    },
  };
}

function renderProfile(root, settings, app, message) {
  const select = h("select", { id: "profile-select", "aria-label": "Profile" },
    settings.profile ? null : h("option", { value: "", disabled: true }, "choose a profile"),
    (settings.profiles || []).map((name) => h("option", { value: name }, name)));
  select.value = settings.profile || "";
  const apply = h("button", { id: "profile-apply", onclick: async () => {
    if (!select.value) return;
    apply.disabled = true;
    const result = await postJson("api/settings/profile", { profile: select.value });
    replace(message, result.ok ? notice(`Profile ${select.value} is active.`) : notice(`Could not switch profile: ${result.message}`, true));
    apply.disabled = false;
    await app.refresh();
  } }, "Apply");

  replace(root, h("h2", null, "Profile"), h("div", { class: "card" },
    settings.file
      ? h("p", { style: "margin: 0 0 8px" }, "Active profile: ", h("strong", { class: "mono", id: "active-profile" }, settings.profile || "none (the file's top level)"),
        h("span", { class: "muted" }, " from "), h("span", { class: "mono" }, settings.file))
      : h("p", { style: "margin: 0 0 8px" }, "No configuration file is loaded: the process runs with the built-in defaults."),
    (settings.profiles || []).length > 0 ? h("div", { class: "toolbar", style: "margin: 0" }, h("label", null, "Switch to", select), apply) : h("p", { class: "muted", style: "margin: 0" }, "No other profile is defined in the configuration."),
  ));
}

function renderThresholds(root, fields) {
  const byThreshold = new Map();
  for (const field of fields) {
    if (!byThreshold.has(field.threshold)) byThreshold.set(field.threshold, []);
    byThreshold.get(field.threshold).push(field);
  }
  replace(root, h("h2", null, "Thresholds"),
    byThreshold.size
      ? h("div", { class: "grid" }, [...byThreshold.entries()].map(([name, entries]) => h("article", { class: "card threshold", "data-threshold": name },
        h("header", null, h("span", { class: "title" }, name), pill(entries[0].kind, "metric")),
        h("p", { class: "mono muted", style: "font-size: 12px; margin: 0 0 8px; overflow-wrap: anywhere" }, entries[0].metric),
        entries.map(thresholdForm))))
      : notice("No threshold is configured: thresholds are set in the [thresholds] section of the configuration file."));
}

// A form for one value of a threshold. The server validates it as the configuration file
// would; its message appears under the field, and the field keeps the rejected text so it can
// be corrected.
function thresholdForm(entry) {
  const input = h("input", { type: "text", name: entry.field, value: entry.value, "aria-label": `${entry.threshold} ${entry.field}`, spellcheck: "false", autocomplete: "off" });
  const error = h("span", { class: "error", role: "alert" });
  const status = h("span", { class: "saved" });
  const save = h("button", { type: "submit" }, "Save");
  const field = h("div", { class: "field" },
    h("label", null, entry.field),
    h("div", { class: "row" }, input, save),
    status, error);

  input.addEventListener("input", () => {
    field.classList.add("editing");
    status.textContent = "";
  });
  const form = h("form", { class: "threshold-field", "data-field": entry.field, novalidate: true }, field);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    save.disabled = true;
    const result = await postJson("api/settings/threshold", { threshold: entry.threshold, field: entry.field, value: input.value });
    save.disabled = false;
    if (result.ok) {
      field.classList.remove("invalid", "editing");
      error.textContent = "";
      input.value = result.body.value;
      status.textContent = `saved: ${result.body.value}`;
    } else {
      field.classList.add("invalid", "editing");
      const messages = result.body && Array.isArray(result.body.errors) && result.body.errors.length ? result.body.errors.map((item) => item.message) : [result.message];
      error.textContent = messages.join("\n");
    }
  });
  return form;
}

function renderToggles(root, toggles, app, message) {
  replace(root, h("h2", null, "Monitoring"),
    toggles.length
      ? h("div", { class: "card" }, h("div", { class: "table-wrap" }, h("table", { id: "settings-toggle-table" },
        h("tbody", null, toggles.map((toggle) => {
          const input = h("input", { type: "checkbox", role: "switch", class: "setting-toggle", "aria-label": toggle.label || toggle.key, checked: toggle.enabled, "data-key": toggle.key });
          input.addEventListener("change", async () => {
            input.disabled = true;
            const result = await postJson("api/toggle", { [toggle.target]: toggle.key, enabled: input.checked });
            if (!result.ok) {
              input.checked = !input.checked;
              replace(message, notice(`Could not change ${toggle.key}: ${result.message}`, true));
            }
            input.disabled = false;
            await app.refresh();
          });
          return h("tr", null,
            h("td", null, h("div", { class: "mono", style: "font-weight: 600; overflow-wrap: anywhere" }, toggle.label || toggle.key), h("div", { class: "muted", style: "font-size: 12px" }, toggle.detail || "")),
            h("td", { style: "width: 1%; white-space: nowrap" }, h("label", { class: "switch" }, input, pill(toggle.enabled ? "on" : "off", toggle.enabled ? "on" : ""))));
        })))))
      : notice("This process has no components or caches to turn on or off."));
}

function tokenForm() {
  const input = h("input", { type: "password", id: "token-input", value: token(), autocomplete: "off", "aria-label": "Bearer token" });
  const status = h("span", { class: "saved" });
  const form = h("form", { class: "card" },
    h("div", { class: "field" },
      h("label", null, "Bearer token"),
      h("div", { class: "row" }, input, h("button", { type: "submit" }, "Use")),
      h("div", { class: "help" }, "Sent as Authorization: Bearer … when the endpoint requires a token. Kept in this browser only."),
      status));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    status.textContent = input.value.trim() ? "token stored" : "token removed";
  });
  return [h("h2", null, "Access"), form];
}
