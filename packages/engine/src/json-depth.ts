/**
 * How deep JSON may nest wherever cvflow reads it: request bodies, saved definitions, definition
 * files. Definitions are shallow (a step's field holding a list of operations with their own
 * objects is about 8 levels), and inputs with detections about the same; 64 leaves ample room.
 * Deeper documents are refused before they are parsed or walked: JSON.parse with a reviver, and
 * every recursive walk after it (canonical hashing, schema checks, serializing), would exhaust the
 * stack. Both checks are loops, not recursion.
 */
import { tooDeeplyNested } from "./errors.js";

export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]); // [ {
const CLOSE = new Set([0x5d, 0x7d]); // ] }

/**
 * The first nesting level past `limit` in JSON text (objects and arrays, brackets inside strings
 * not counted), or undefined when there is none. Does not validate the JSON.
 */
export function jsonTextTooDeep(text: string, limit = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = closingQuote(text, i);
    else if (OPEN.has(c)) {
      if (++depth > limit) return depth;
    } else if (CLOSE.has(c)) depth--;
  }
  return undefined;
}

/** 400 `too_deeply_nested` when JSON text nests deeper than `limit`; `what` names it in the message. */
export function checkJsonTextDepth(text: string, what: string, limit = MAX_JSON_DEPTH): void {
  if (jsonTextTooDeep(text, limit) !== undefined) throw tooDeeplyNested(what, limit);
}

/** 400 `too_deeply_nested` when a parsed value (objects and arrays) nests deeper than `limit`. */
export function checkJsonValueDepth(value: unknown, what: string, limit = MAX_JSON_DEPTH): void {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next;
    if (typeof node !== "object" || node === null) continue;
    if (depth > limit) throw tooDeeplyNested(what, limit);
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
}

/** The index of the quote that closes the string opened at `open` (the text's end when none does). */
function closingQuote(text: string, open: number): number {
  for (let i = text.indexOf('"', open + 1); i >= 0; i = text.indexOf('"', i + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(i - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return i;
  }
  return text.length;
}
