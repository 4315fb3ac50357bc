/**
 * The canonical form of a definition: its JSON with object keys sorted, so that the same
 * definition sent twice with keys in another order, or re-parsed from a request, is recognised.
 * This runs on every request (it is the plan cache's key), so it is written for speed: keys are
 * insertion-sorted (objects here have few), and the quoting of short strings — which repeat a
 * lot: "type", "name", block ids — is memoised.
 */
import { createHash } from "node:crypto";

const quoted = new Map<string, string>();
const MEMO_LENGTH = 64;
const MEMO_SIZE = 8192;

function quote(s: string): string {
  let q = quoted.get(s);
  if (q === undefined) {
    q = JSON.stringify(s);
    if (s.length <= MEMO_LENGTH && quoted.size < MEMO_SIZE) quoted.set(s, q);
  }
  return q;
}

export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      return Number.isFinite(value) ? String(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "object":
      break;
    default:
      return "null";
  }
  if (value === null) return "null";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    let out = "[" + canonicalJson(value[0]);
    for (let i = 1; i < value.length; i++) out += "," + canonicalJson(value[i]);
    return out + "]";
  }
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  let out = "{";
  let first = true;
  for (const key of keys) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined) continue;
    out += (first ? "" : ",") + quote(key) + ":" + canonicalJson(item);
    first = false;
  }
  return out + "}";
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function canonicalHash(value: unknown): string {
  return sha256(canonicalJson(value));
}
