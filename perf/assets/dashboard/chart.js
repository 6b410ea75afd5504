// SVG charts drawn from plain arrays: a time-series line chart and a horizontal bar chart.
// Both scale with their container through the viewBox, so one drawing fits a phone and a
// wall display.

import { h, svg } from "./dom.js";

export const COLOURS = {
  metric: "#007ACC",
  healthy: "#28A745",
  warning: "#FD7E14",
  critical: "#DC3545",
  muted: "#6C757D",
  second: "#6F42C1",
};

const WIDTH = 320;
const LEFT = 46;
const RIGHT = 6;
const TOP = 6;
const BOTTOM = 16;

// Draws a line chart of time series.
//
// `lines` is a list of `{ name, colour, points }`, each point `[timeMs, value]`; a `null` value
// breaks the line. `from` and `to` bound the time axis in milliseconds, and `format` turns a
// value into an axis label.
export function lineChart({ title, lines, from, to, format, height = 92 }) {
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = height - TOP - BOTTOM;
  const values = lines.flatMap((line) => line.points.map((point) => point[1])).filter((value) => Number.isFinite(value));
  const maximum = niceCeiling(values.length ? Math.max(...values) : 0);
  const span = Math.max(1, to - from);

  const x = (time) => LEFT + ((time - from) / span) * plotWidth;
  const y = (value) => TOP + plotHeight - (maximum > 0 ? (value / maximum) * plotHeight : 0);

  const drawing = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, role: "img", "aria-label": title });
  for (const fraction of maximum > 0 ? [0, 0.5, 1] : [0]) {
    const level = TOP + plotHeight - fraction * plotHeight;
    drawing.appendChild(svg("line", { class: "grid-line", x1: LEFT, x2: WIDTH - RIGHT, y1: level, y2: level }));
    drawing.appendChild(svg("text", { x: LEFT - 4, y: level + 3, "text-anchor": "end" }, format(maximum * fraction)));
  }
  drawing.appendChild(svg("text", { x: LEFT, y: height - 3, "text-anchor": "start" }, timeLabel(from)));
  drawing.appendChild(svg("text", { x: WIDTH - RIGHT, y: height - 3, "text-anchor": "end" }, timeLabel(to)));

  if (!values.length) {
    drawing.appendChild(svg("text", { class: "empty", x: LEFT + plotWidth / 2, y: TOP + plotHeight / 2, "text-anchor": "middle" }, "no data in this window"));
  }

  for (const line of lines) {
    const path = pathOf(line.points.filter((point) => point[0] >= from && point[0] <= to), x, y);
    if (!path) continue;
    drawing.appendChild(svg("path", { d: path, fill: "none", stroke: line.colour, "stroke-width": 1.6, "stroke-linejoin": "round", "vector-effect": "non-scaling-stroke" }));
    const last = lastFinite(line.points);
    if (last) {
      drawing.appendChild(svg("circle", { cx: x(last[0]), cy: y(last[1]), r: 2.2, fill: line.colour }, svg("title", null, `${line.name}: ${format(last[1])}`)));
    }
  }

  const keys = lines.map((line) => h("span", { class: "key", style: `--key-colour: ${line.colour}` }, line.name));
  return h("figure", { class: "chart", style: "margin: 0" }, h("figcaption", { class: "chart-title" }, h("span", null, title), keys), drawing);
}

// Draws horizontal bars, one per item `{ name, value, tone }`, against `maximum`.
export function barChart({ title, items, maximum, format }) {
  const rowHeight = 22;
  const labelWidth = 120;
  const valueWidth = 60;
  const height = Math.max(1, items.length) * rowHeight + 4;
  const plotWidth = WIDTH - labelWidth - valueWidth;
  const drawing = svg("svg", { viewBox: `0 0 ${WIDTH} ${height}`, role: "img", "aria-label": title });

  items.forEach((item, index) => {
    const top = 2 + index * rowHeight;
    const share = maximum > 0 ? Math.max(0, Math.min(1, item.value / maximum)) : 0;
    drawing.appendChild(svg("text", { x: labelWidth - 6, y: top + 14, "text-anchor": "end" }, shorten(item.name, 20)));
    drawing.appendChild(svg("rect", { x: labelWidth, y: top + 4, width: plotWidth, height: 12, rx: 3, fill: "#E9EDF1" }));
    drawing.appendChild(svg("rect", { x: labelWidth, y: top + 4, width: share * plotWidth, height: 12, rx: 3, fill: COLOURS[item.tone] || COLOURS.metric }, svg("title", null, `${item.name}: ${format(item.value)}`)));
    drawing.appendChild(svg("text", { x: WIDTH - 2, y: top + 14, "text-anchor": "end" }, format(item.value)));
  });
  if (!items.length) {
    drawing.appendChild(svg("text", { class: "empty", x: WIDTH / 2, y: 14, "text-anchor": "middle" }, "nothing to compare"));
  }
  return h("figure", { class: "chart", style: "margin: 0" }, h("figcaption", { class: "chart-title" }, title), drawing);
}

function pathOf(points, x, y) {
  let path = "";
  let drawing = false;
  for (const [time, value] of points) {
    if (!Number.isFinite(value)) {
      drawing = false;
      continue;
    }
    path += `${drawing ? "L" : "M"}${x(time).toFixed(1)},${y(value).toFixed(1)}`;
    drawing = true;
  }
  return path;
}

function lastFinite(points) {
  for (let index = points.length - 1; index >= 0; index -= 1) {
    if (Number.isFinite(points[index][1])) return points[index];
  }
  return null;
}

// Rounds up to 1, 2 or 5 times a power of ten, so axis labels read well.
function niceCeiling(value) {
  if (!(value > 0)) return 0;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * power) return step * power;
  }
  return 10 * power;
}

function timeLabel(ms) {
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, "0")).join(":");
}

function shorten(text, length) {
  return text.length <= length ? text : "…" + text.slice(text.length - length + 1);
}
