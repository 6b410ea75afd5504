// Live updates: reads the server-sent event stream of `api/events` and hands each event to the
// listeners of its type. The stream is read with fetch rather than EventSource because
// EventSource cannot send the Authorization header. A dropped stream is reopened with a
// growing delay (1 s doubling to 30 s), resuming after the last event id.

import { headers } from "./api.js";

export class Live {
  constructor(path) {
    this.path = path;
    this.listeners = new Map();
    this.statusListeners = [];
    this.lastId = "";
    this.retryMs = 1000;
    this.stopped = false;
    this.controller = null;
  }

  // Calls `listener(data, type)` for each event of `type` ("*" for every event).
  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(listener);
  }

  // Calls `listener(state, detail)` when the connection state changes: connecting, live, down.
  onStatus(listener) {
    this.statusListeners.push(listener);
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
  }

  async connect() {
    this.setStatus("connecting", "");
    this.controller = new AbortController();
    const extra = { Accept: "text/event-stream" };
    if (this.lastId) extra["Last-Event-ID"] = this.lastId;
    try {
      const response = await fetch(this.path, { headers: headers(extra), signal: this.controller.signal, cache: "no-store" });
      if (!response.ok || !response.body) {
        const detail = response.status === 401 ? "the endpoint requires a bearer token (Settings)" : `HTTP ${response.status}`;
        this.setStatus("down", detail);
      } else {
        this.retryMs = 1000;
        this.setStatus("live", "");
        await this.read(response.body.getReader());
        this.setStatus("down", "stream closed");
      }
    } catch (error) {
      if (this.stopped) return;
      this.setStatus("down", error.name === "TypeError" ? "process unreachable" : String(error.message || error));
    }
    if (this.stopped) return;
    setTimeout(() => this.connect(), this.retryMs);
    this.retryMs = Math.min(30000, this.retryMs * 2);
  }

  async read(reader) {
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.dispatch(block);
      }
    }
  }

  // Parses one event block: `event:`, `data:` (joined with newlines), `id:` and `retry:` fields;
  // lines starting with a colon are comments (keep-alives).
  dispatch(block) {
    let type = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") type = value;
      else if (field === "data") data.push(value);
      else if (field === "id") this.lastId = value;
      else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    if (!data.length) return;

    let payload = data.join("\n");
    try {
      payload = JSON.parse(payload);
    } catch {
      // Plain text data stays a string.
    }
    for (const listener of [...(this.listeners.get(type) || []), ...(this.listeners.get("*") || [])]) {
      try {
        listener(payload, type);
      } catch (error) {
        console.error("perf dashboard: listener for", type, "failed:", error);
      }
    }
  }

  setStatus(state, detail) {
    for (const listener of this.statusListeners) listener(state, detail);
  }
}
