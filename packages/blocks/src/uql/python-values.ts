/**
 * Python's semantics for the operations the query language borrows from it: `str()`, `repr()`,
 * `==`, `<`, `in`, `len()`, iteration, truthiness and `json.dumps`. Roboflow's engine applies
 * these to whatever values flow through a workflow, so comparing a list with `==` is deep
 * equality, `True == 1`, `"a" in "cat"` is a substring test and `"false"` is truthy.
 */
import { Detections, Secret, SECRET_MASK, serializeDetections } from "@cvflow/engine";
import { floatRepr, isPythonInt, numberStr } from "../common/python-numbers.js";
import { SingleDetection, isImage, isPlainObject, pythonTypeName } from "./values.js";

/** What Python raises as TypeError/ValueError; callers turn it into a WorkflowError. */
export class PythonTypeError extends Error {
  override name = "PythonTypeError";
}

const isNone = (v: unknown): v is null | undefined => v === null || v === undefined;
const isNumeric = (v: unknown): v is number | boolean => typeof v === "number" || typeof v === "boolean";

export function pyRepr(value: unknown): string {
  if (typeof value === "string") return stringRepr(value);
  return pyStr(value, true);
}

export function pyStr(value: unknown, nested = false): string {
  if (isNone(value)) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return numberStr(value);
  if (typeof value === "string") return nested ? stringRepr(value) : value;
  if (Array.isArray(value)) return `[${value.map((v) => pyRepr(v)).join(", ")}]`;
  if (value instanceof Detections) return `Detections(${pyRepr(serializeDetections(value).predictions)})`;
  if (value instanceof SingleDetection) return singleDetectionStr(value);
  // A secret put into a message shows as its mask, never as the text it holds.
  if (value instanceof Secret) return SECRET_MASK;
  // A plain object is a dict even with width and height (a prediction's "image" is one)
  if (!isPlainObject(value) && isImage(value)) return `WorkflowImageData(width=${value.width}, height=${value.height})`;
  if (typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => `${stringRepr(k)}: ${pyRepr(v)}`);
    return `{${entries.join(", ")}}`;
  }
  return String(value);
}

function singleDetectionStr(d: SingleDetection): string {
  const { detections: all, index } = d;
  return (
    `Detection(xyxy=${pyRepr(d.box())}, confidence=${floatRepr(all.confidence[index]!)}, ` +
    `class_id=${all.classId[index]!}, class_name=${stringRepr(all.className[index]!)})`
  );
}

function stringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) out += "\\x" + code.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}

export function pyEquals(a: unknown, b: unknown): boolean {
  if (isNone(a) || isNone(b)) return isNone(a) && isNone(b);
  if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => pyEquals(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  if (a instanceof SingleDetection && b instanceof SingleDetection) {
    return a.detections === b.detections && a.index === b.index;
  }
  return a === b;
}

/** Python's ordering (`<`): numbers with numbers, strings with strings, lists element-wise. */
export function pyCompare(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) {
    const x = Number(a);
    const y = Number(b);
    // NaN is neither smaller nor greater: every ordering comparison with it is false
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i]);
    }
    return a.length - b.length;
  }
  throw new PythonTypeError(`'<' not supported between instances of '${pythonTypeName(a)}' and '${pythonTypeName(b)}'`);
}

/** Python `len()`. */
export function pyLen(value: unknown): number {
  if (typeof value === "string") return [...value].length;
  if (Array.isArray(value)) return value.length;
  if (value instanceof Detections) return value.length;
  if (isPlainObject(value)) return Object.keys(value).length;
  throw new PythonTypeError(`object of type '${pythonTypeName(value)}' has no len()`);
}

/** What `for item in value` yields in Python. */
export function pyIterate(value: unknown): unknown[] {
  if (typeof value === "string") return [...value];
  if (Array.isArray(value)) return value;
  if (value instanceof Detections) return Array.from({ length: value.length }, (_, i) => new SingleDetection(value, i));
  if (isPlainObject(value)) return Object.keys(value);
  throw new PythonTypeError(`'${pythonTypeName(value)}' object is not iterable`);
}

/** Python `item in container`. */
export function pyContains(container: unknown, item: unknown): boolean {
  if (typeof container === "string") {
    if (typeof item !== "string") {
      throw new PythonTypeError(`'in <string>' requires string as left operand, not ${pythonTypeName(item)}`);
    }
    return container.includes(item);
  }
  if (isPlainObject(container)) {
    if (Array.isArray(item) || isPlainObject(item)) throw new PythonTypeError(`unhashable type: '${pythonTypeName(item)}'`);
    // JSON object keys are strings, and Python never finds 1 under the key "1"
    return typeof item === "string" && Object.hasOwn(container, item);
  }
  return pyIterate(container).some((element) => pyEquals(element, item));
}

/** Python dict lookup in a JSON object: only a string can be a key; lists and dicts are unhashable. */
export function pyLookup(table: Readonly<Record<string, unknown>>, key: unknown): { found: true; value: unknown } | { found: false } {
  if (Array.isArray(key) || isPlainObject(key)) throw new PythonTypeError(`unhashable type: '${pythonTypeName(key)}'`);
  return typeof key === "string" && Object.hasOwn(table, key) ? { found: true, value: table[key] } : { found: false };
}

/** Python `bool()`. */
export function pyTruthy(value: unknown): boolean {
  if (isNone(value)) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string" || Array.isArray(value) || value instanceof Detections || isPlainObject(value)) {
    return pyLen(value) > 0;
  }
  return true;
}

/** Python `json.dumps(value)` with its defaults: ", " and ": " separators, ASCII-only output. */
export function pyJsonDumps(value: unknown): string {
  if (isNone(value)) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
    return isPythonInt(value) ? String(value) : floatRepr(value);
  }
  if (typeof value === "string") return jsonString(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(", ")}]`;
  if (isPlainObject(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${jsonString(k)}: ${pyJsonDumps(v)}`).join(", ")}}`;
  }
  throw new PythonTypeError(`Object of type ${pythonTypeName(value)} is not JSON serializable`);
}

const JSON_ESCAPES: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

function jsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    out += JSON_ESCAPES[ch] ?? (code < 0x20 || code > 0x7e ? "\\u" + code.toString(16).padStart(4, "0") : ch);
  }
  return out + '"';
}

/** A short rendering of a value for error messages. */
export function describeValue(value: unknown): string {
  const text = pyRepr(value);
  return `${text.length > 80 ? text.slice(0, 77) + "..." : text} (${pythonTypeName(value)})`;
}
