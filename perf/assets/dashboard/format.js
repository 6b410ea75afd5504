// Number formatting shared by every view. Latencies arrive in nanoseconds, times in
// milliseconds since the Unix epoch.

// Formats nanoseconds with the largest unit that keeps the number at or above 1.
export function duration(nanos) {
  if (nanos === null || nanos === undefined || !Number.isFinite(nanos)) return "–";
  const units = [
    [3600e9, "h"],
    [60e9, "min"],
    [1e9, "s"],
    [1e6, "ms"],
    [1e3, "µs"],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(nanos) >= size) return trim(nanos / size) + " " + unit;
  }
  return trim(nanos) + " ns";
}

// Formats a count with k, M, G suffixes.
export function count(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return trim(value / 1e9) + "G";
  if (magnitude >= 1e6) return trim(value / 1e6) + "M";
  if (magnitude >= 1e4) return trim(value / 1e3) + "k";
  return trim(value);
}

// Formats a rate per second.
export function rate(perSecond) {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return "–";
  return count(perSecond) + "/s";
}

// Formats a fraction (0.25) as a percentage (25%).
export function percent(fraction) {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "–";
  const value = fraction * 100;
  if (value !== 0 && Math.abs(value) < 0.1) return value.toPrecision(2) + "%";
  return trim(value) + "%";
}

// Formats a size in bytes with binary units.
export function bytes(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let size = value;
  let unit = 0;
  while (Math.abs(size) >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return trim(size) + " " + units[unit];
}

// Formats a time of day (HH:MM:SS) in the browser's time zone.
export function clock(ms) {
  if (!ms) return "–";
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, "0")).join(":");
}

// Formats a date and time.
export function dateTime(ms) {
  if (!ms) return "–";
  const date = new Date(ms);
  const day = [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((part) => String(part).padStart(2, "0")).join("-");
  return day + " " + clock(ms);
}

// Formats how long ago a time was, relative to `now` (both in milliseconds).
export function ago(ms, now) {
  if (!ms) return "never";
  const seconds = Math.max(0, Math.round(((now || Date.now()) - ms) / 1000));
  if (seconds < 60) return seconds + " s ago";
  if (seconds < 3600) return Math.round(seconds / 60) + " min ago";
  if (seconds < 86400) return Math.round(seconds / 3600) + " h ago";
  return Math.round(seconds / 86400) + " d ago";
}

// Keeps three significant digits, without trailing zeros.
function trim(value) {
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}
