// Small helpers to build DOM nodes. Text always goes through text nodes, never through
// innerHTML, so names and messages from the process cannot inject markup.

const SVG_NS = "http://www.w3.org/2000/svg";

// Creates an HTML element. `attrs` keys starting with "on" add event listeners; `class`,
// `hidden` and other keys set attributes. Children may be nodes, strings, numbers or arrays.
export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

// Creates an SVG element with the given attributes and children.
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

// Appends children (nodes, strings, numbers, arrays, null) to a node.
export function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) {
      append(node, child);
    } else if (child instanceof Node) {
      node.appendChild(child);
    } else {
      node.appendChild(document.createTextNode(String(child)));
    }
  }
}

// Replaces every child of a node.
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

function applyAttrs(node, attrs) {
  if (!attrs) return;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "value" && "value" in node) {
      node.value = value;
    } else if (key === "checked") {
      node.checked = Boolean(value);
    } else if (value === true) {
      node.setAttribute(key, "");
    } else {
      node.setAttribute(key, String(value));
    }
  }
}

// A labelled number for a card: small grey label, monospace value.
export function stat(label, value, tone) {
  return h("div", { class: "stat" }, h("div", { class: "label" }, label), h("div", { class: "value " + (tone || "") }, value));
}

// A coloured badge; `tone` is a state name that the stylesheet maps to a colour.
export function pill(text, tone) {
  return h("span", { class: "pill " + (tone || "") }, text);
}

// A notice box at the top of a view.
export function notice(text, isError) {
  return h("div", { class: isError ? "notice error" : "notice", role: isError ? "alert" : "status" }, text);
}
