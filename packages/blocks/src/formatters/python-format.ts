/**
 * Python's `format(value, spec)` — the format-specification mini-language
 * `[[fill]align][sign][z][#][0][width][grouping][.precision][type]` — for the values a workflow
 * carries: strings, ints, floats, booleans; anything else only with an empty spec, as in Python.
 * Numbers are rounded exactly as Python rounds them (ties to even on the exact binary value).
 */
import { exponentText, fixedDigits, floatRepr, isPythonInt, significantDigits } from "../common/python-numbers.js";
import { pyStr } from "../uql/python-values.js";
import { pythonTypeName } from "../uql/values.js";

/** What Python raises as ValueError or TypeError while formatting. */
export class FormatError extends Error {
  override name = "FormatError";
}

/** Widths and precisions beyond this are refused rather than allocating huge strings. */
export const MAX_FORMAT_WIDTH = 10_000;

interface Spec {
  fill: string;
  align: "<" | ">" | "=" | "^" | undefined;
  sign: "+" | "-" | " ";
  noNegativeZero: boolean;
  alternate: boolean;
  zero: boolean;
  width: number;
  grouping: "," | "_" | undefined;
  precision: number | undefined;
  type: string | undefined;
}

const SPEC = /^(?:([\s\S])?([<>=^]))?([+\- ])?(z)?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

function parseSpec(text: string): Spec {
  const m = SPEC.exec(text);
  if (!m) throw new FormatError("Invalid format specifier");
  const [, fill, align, sign, z, alternate, zero, width, grouping, precision, type] = m;
  const spec: Spec = {
    // a 0 before the width is the fill unless one is given (then numbers pad after the sign)
    fill: fill ?? (zero !== undefined ? "0" : " "),
    align: align as Spec["align"],
    sign: (sign ?? "-") as Spec["sign"],
    noNegativeZero: z !== undefined,
    alternate: alternate !== undefined,
    zero: zero !== undefined,
    width: width === undefined ? 0 : Number(width),
    grouping: grouping as Spec["grouping"],
    precision: precision === undefined ? undefined : Number(precision),
    type,
  };
  if (spec.width > MAX_FORMAT_WIDTH || (spec.precision ?? 0) > MAX_FORMAT_WIDTH) {
    throw new FormatError(`format width and precision may be at most ${MAX_FORMAT_WIDTH}, got "${text}"`);
  }
  return spec;
}

function pad(body: string, prefix: string, spec: Spec, defaultAlign: "<" | ">"): string {
  const align = spec.align ?? (spec.zero && defaultAlign === ">" ? "=" : defaultAlign);
  const missing = spec.width - [...prefix].length - [...body].length;
  if (missing <= 0) return prefix + body;
  const filler = (n: number) => spec.fill.repeat(n);
  switch (align) {
    case "<":
      return prefix + body + filler(missing);
    case ">":
      return filler(missing) + prefix + body;
    case "=":
      return prefix + filler(missing) + body;
    case "^":
      return filler(Math.floor(missing / 2)) + prefix + body + filler(Math.ceil(missing / 2));
  }
}

function group(digits: string, separator: string, size: number): string {
  let out = "";
  for (let end = digits.length; end > 0; end -= size) {
    const start = Math.max(0, end - size);
    out = digits.slice(start, end) + (out ? separator + out : "");
  }
  return out;
}

function signPrefix(negative: boolean, spec: Spec): string {
  if (negative) return "-";
  return spec.sign === "-" ? "" : spec.sign;
}

function formatString(value: string, spec: Spec): string {
  if (spec.type !== undefined && spec.type !== "s") throw new FormatError(`Unknown format code '${spec.type}' for object of type 'str'`);
  if (spec.sign !== "-") throw new FormatError("Sign not allowed in string format specifier");
  if (spec.alternate) throw new FormatError("Alternate form (#) not allowed in string format specifier");
  if (spec.align === "=") throw new FormatError("'=' alignment not allowed in string format specifier");
  if (spec.grouping) throw new FormatError(`Cannot specify '${spec.grouping}' with 's'.`);
  const text = spec.precision === undefined ? value : [...value].slice(0, spec.precision).join("");
  return pad(text, "", spec, "<");
}

const INT_BASES: Record<string, { base: number; prefix: string; groupSize: number }> = {
  d: { base: 10, prefix: "", groupSize: 3 },
  n: { base: 10, prefix: "", groupSize: 3 },
  b: { base: 2, prefix: "0b", groupSize: 4 },
  o: { base: 8, prefix: "0o", groupSize: 4 },
  x: { base: 16, prefix: "0x", groupSize: 4 },
  X: { base: 16, prefix: "0X", groupSize: 4 },
};

function formatInt(value: number, spec: Spec): string {
  const type = spec.type ?? "d";
  if (type === "c") {
    if (spec.sign !== "-") throw new FormatError("Sign not allowed with integer format specifier 'c'");
    return pad(String.fromCodePoint(value), "", spec, ">");
  }
  const base = INT_BASES[type];
  if (!base) throw new FormatError(`Unknown format code '${type}' for object of type 'int'`);
  if (spec.precision !== undefined) throw new FormatError("Precision not allowed in integer format specifier");
  if (spec.grouping === "," && base.base !== 10) throw new FormatError(`Cannot specify ',' with '${type}'.`);
  let digits = Math.abs(value).toString(base.base);
  if (type === "X") digits = digits.toUpperCase();
  if (spec.grouping) digits = group(digits, spec.grouping, base.groupSize);
  return pad(digits, signPrefix(value < 0, spec) + (spec.alternate ? base.prefix : ""), spec, ">");
}

/** Digits with a point placed `exponent` places after the first, as fixed-point text. */
function placePoint(digits: string, exponent: number): string {
  if (exponent < 0) return `0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return fraction ? `${whole}.${fraction}` : whole;
}

function stripZeros(text: string): string {
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

/** Python's 'g' (and, with dot0, the type-less form with a precision). */
function general(x: number, precision: number, alternate: boolean, dot0: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const { digits, exponent } = significantDigits(x, p);
  // the type-less form keeps one decimal, so it switches to exponents one digit earlier
  const useExponent = exponent < -4 || exponent >= (dot0 ? p - 1 : p);
  if (useExponent) {
    let mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    if (!alternate) mantissa = stripZeros(mantissa);
    else if (!mantissa.includes(".")) mantissa += ".";
    return mantissa + exponentText(exponent);
  }
  let fixed = placePoint(digits, exponent);
  if (!alternate) fixed = stripZeros(fixed);
  else if (!fixed.includes(".")) fixed += ".";
  return dot0 && !fixed.includes(".") ? `${fixed}.0` : fixed;
}

function floatBody(x: number, spec: Spec, type: string | undefined): string {
  const upper = type === "E" || type === "F" || type === "G";
  if (!Number.isFinite(x)) {
    const text = Number.isNaN(x) ? "nan" : "inf";
    return upper ? text.toUpperCase() : text;
  }
  const dot = (text: string) => (spec.alternate && !text.includes(".") ? `${text}.` : text);
  switch (type) {
    case "f":
    case "F":
      return dot(fixedDigits(x, spec.precision ?? 6));
    case "%":
      return `${dot(fixedDigits(x * 100, spec.precision ?? 6))}%`;
    case "e":
    case "E": {
      const { digits, exponent } = significantDigits(x, (spec.precision ?? 6) + 1);
      const mantissa = dot(digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits);
      const text = mantissa + exponentText(exponent);
      return upper ? text.toUpperCase() : text;
    }
    case "g":
    case "G":
    case "n": {
      const text = general(x, spec.precision ?? 6, spec.alternate, false);
      return upper ? text.toUpperCase() : text;
    }
    default:
      if (spec.precision === undefined) return floatRepr(x);
      return general(x, spec.precision, spec.alternate, true);
  }
}

const FLOAT_TYPES = new Set(["e", "E", "f", "F", "g", "G", "n", "%"]);

function formatFloat(value: number, spec: Spec): string {
  if (spec.type !== undefined && !FLOAT_TYPES.has(spec.type)) {
    throw new FormatError(`Unknown format code '${spec.type}' for object of type 'float'`);
  }
  let body = floatBody(Math.abs(value), spec, spec.type);
  if (spec.grouping) {
    const end = body.search(/[.e%]/);
    const whole = end < 0 ? body : body.slice(0, end);
    body = group(whole, spec.grouping, 3) + body.slice(whole.length);
  }
  const negative = value < 0 || Object.is(value, -0);
  const roundedToZero = /^[0.]*(e[+-]\d+)?%?$/.test(body);
  return pad(body, signPrefix(negative && !(spec.noNegativeZero && roundedToZero), spec), spec, ">");
}

/** Python `format(value, spec)`. */
export function formatValue(value: unknown, specText: string): string {
  if (specText === "") return pyStr(value);
  const spec = parseSpec(specText);
  if (typeof value === "string") return formatString(value, spec);
  if (typeof value === "boolean" || (typeof value === "number" && isPythonInt(value))) {
    const n = Number(value);
    const floatType = spec.type !== undefined && FLOAT_TYPES.has(spec.type);
    // A whole number may have been a float in Python (JSON 2.0 parses as 2): with a precision
    // and no type Python formats a float as "2.0" (an int would be an error), so do that.
    const wholeFloat = typeof value === "number" && spec.type === undefined && spec.precision !== undefined;
    if (floatType || wholeFloat) return formatFloat(n, spec);
    if (spec.type === "s") throw new FormatError(`Unknown format code 's' for object of type '${pythonTypeName(value)}'`);
    return formatInt(n, spec);
  }
  if (typeof value === "number") return formatFloat(value, spec);
  throw new FormatError(`unsupported format string passed to ${pythonTypeName(value)}.__format__`);
}
