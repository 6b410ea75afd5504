// Requests to the process's HTTP endpoint. Paths are relative, so the dashboard also works
// when it is mounted under a prefix. When the endpoint requires a bearer token, the token
// entered in Settings is kept in this browser's local storage and sent with every request.

const TOKEN_KEY = "perf.token";

// An HTTP error with the server's message.
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

// Returns the bearer token entered in Settings, or an empty string.
export function token() {
  try {
    return localStorage.getItem(TOKEN_KEY) || "";
  } catch {
    return "";
  }
}

// Stores the bearer token (an empty value removes it).
export function setToken(value) {
  try {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Storage can be disabled; the token then lasts until the page is closed.
  }
  sessionToken = value;
}

let sessionToken = null;

// Returns the request headers, with the Authorization header when a token is set.
export function headers(extra) {
  const result = Object.assign({ Accept: "application/json" }, extra || {});
  const value = sessionToken ?? token();
  if (value) result.Authorization = "Bearer " + value;
  return result;
}

// Fetches JSON and throws an ApiError on any status other than 2xx.
export async function getJson(path) {
  const response = await fetch(path, { headers: headers(), cache: "no-store" });
  const body = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, messageOf(response, body), body);
  return body;
}

// Posts JSON and returns `{ ok, status, body }` without throwing on an HTTP error, so forms can
// show the server's validation messages.
export async function postJson(path, payload) {
  const response = await fetch(path, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json" }),
    body: JSON.stringify(payload),
  });
  const body = await readBody(response);
  return { ok: response.ok, status: response.status, body, message: response.ok ? "" : messageOf(response, body) };
}

// Fetches a file and returns it as a Blob, for downloads that need the Authorization header.
export async function getBlob(path) {
  const response = await fetch(path, { headers: headers({ Accept: "*/*" }), cache: "no-store" });
  if (!response.ok) {
    const body = await readBody(response);
    throw new ApiError(response.status, messageOf(response, body), body);
  }
  return { blob: await response.blob(), disposition: response.headers.get("Content-Disposition") || "" };
}

async function readBody(response) {
  const text = await response.text();
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json") && text) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function messageOf(response, body) {
  let message = `HTTP ${response.status} ${response.statusText}`;
  if (body && typeof body === "object" && typeof body.error === "string") message = body.error;
  else if (typeof body === "string" && body.trim()) message = body.trim();
  if (response.status === 401) message += " (enter the token under Settings, Access)";
  return message;
}
