/**
 * The request body as JSON, whatever the Content-Type (every body of this API is JSON, and
 * `curl -d` says form-urlencoded): bad JSON is a 400 `invalid_json`, and so is a `__proto__` key
 * or a `constructor` holding a `prototype` (keys that would reach object prototypes); JSON nested
 * past MAX_JSON_DEPTH is a 400 `too_deeply_nested`, checked before parsing (the reviver recurses).
 * An empty body stays undefined.
 */
import { checkJsonTextDepth } from "@cvflow/engine";
import { invalidJson } from "./errors.js";

export function parseJsonBody(body: Uint8Array | undefined): unknown {
  if (!body || body.length === 0) return undefined;
  const text = Buffer.from(body.buffer, body.byteOffset, body.length).toString("utf8");
  checkJsonTextDepth(text, "The request body");
  try {
    return JSON.parse(text, refusePrototypeKeys);
  } catch (error) {
    throw invalidJson((error as Error).message);
  }
}

function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === "__proto__" || (key === "constructor" && typeof value === "object" && value !== null && Object.hasOwn(value, "prototype"))) {
    throw new Error("Forbidden key in JSON body");
  }
  return value;
}
