/**
 * Numbers as Python prints and rounds them. Definitions written for Roboflow's Python engine
 * must give the same text here: `round(0.125, 2)` is 0.12 there (half-even on the exact binary
 * value) while JavaScript's `toFixed` gives 0.13, and `repr(1e-05)` is "1e-05" where
 * `String()` gives "0.00001". Everything below works on the exact decimal expansion of a
 * double, obtained with BigInt, so ties are decided exactly as Python decides them.
 *
 * JavaScript has one number type: a safe integer is treated as a Python int, anything else as
 * a Python float (so a float that happens to be whole, like 10.0, prints as "10").
 */

/** |x| = digits / 10^scale exactly, for a finite x. */
interface ExactDecimal {
  digits: bigint;
  scale: number;
}

function exactDecimal(x: number): ExactDecimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  if (exponent >= 0) return { digits: mantissa << BigInt(exponent), scale: 0 };
  // m / 2^k == m * 5^k / 10^k
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/** n / 10^cut rounded half to even. */
function divRoundHalfEven(n: bigint, cut: number): bigint {
  if (cut <= 0) return n * 10n ** BigInt(-cut);
  const divisor = 10n ** BigInt(cut);
  const quotient = n / divisor;
  const twice = (n % divisor) * 2n;
  if (twice > divisor || (twice === divisor && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

export function isPythonInt(x: number): boolean {
  return Number.isSafeInteger(x);
}

/**
 * Python's `round(x, ndigits)` for a float: correctly rounded, ties to even. With no digits it is
 * also numpy's `.round()` and OpenCV's cvRound, how the reference implementation turns box corners,
 * crop centres and pixel values into whole numbers.
 */
export function roundHalfEven(x: number, ndigits = 0): number {
  if (ndigits === 0) {
    // The pixel loops' case, without BigInt: Math.round is exact and sends every tie up, and an odd
    // result from a tie goes back down to the even neighbour (x % 1 is exact too).
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }
  if (!Number.isFinite(x) || x === 0) return x;
  const { digits, scale } = exactDecimal(x);
  if (ndigits >= scale) return x;
  const rounded = divRoundHalfEven(digits, scale - ndigits);
  const value = Number(`${rounded}e${-ndigits}`);
  return x < 0 ? -value : value;
}

/** Python `round(n, ndigits)` on an int: unchanged for ndigits >= 0, else to a multiple of 10^-ndigits. */
export function roundIntHalfEven(n: number, ndigits: number): number {
  if (ndigits >= 0) return n;
  const rounded = divRoundHalfEven(BigInt(Math.abs(n)), -ndigits) * 10n ** BigInt(-ndigits);
  return n < 0 ? -Number(rounded) : Number(rounded);
}

/** Fixed-point text of |x| with `precision` decimals, ties to even (Python's 'f'). */
export function fixedDigits(x: number, precision: number): string {
  const { digits, scale } = exactDecimal(x);
  const text = divRoundHalfEven(digits, scale - precision).toString().padStart(precision + 1, "0");
  return precision === 0 ? text : `${text.slice(0, -precision)}.${text.slice(-precision)}`;
}

/** Significant digits of |x| rounded to `count`, with the decimal exponent of the first one. */
export function significantDigits(x: number, count: number): { digits: string; exponent: number } {
  if (x === 0) return { digits: "0".repeat(count), exponent: 0 };
  const { digits, scale } = exactDecimal(x);
  const all = digits.toString();
  let exponent = all.length - 1 - scale;
  let rounded = divRoundHalfEven(digits, all.length - count).toString();
  if (rounded.length > count) {
    // 9.99 -> 10.0: one more digit than asked, so the exponent grows
    rounded = rounded.slice(0, count);
    exponent += 1;
  }
  return { digits: rounded, exponent };
}

export function exponentText(exponent: number): string {
  const sign = exponent < 0 ? "-" : "+";
  return `e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

/** Python `repr(float)`: shortest round-trip digits; scientific below 1e-4 and from 1e16. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa = "", exp = "0"] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exponent = Number(exp);
  const sign = x < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const tail = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${tail}${exponentText(exponent)}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === "" ? "0" : fraction}`;
}

/** Python `str()` of a number (int or float, see the module comment). */
export function numberStr(x: number): string {
  return isPythonInt(x) ? String(x) : floatRepr(x);
}

const PYTHON_FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*|\d(?:_?\d)*\.)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const PYTHON_SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/** Python `float(text)`; undefined where Python raises ValueError. */
export function parsePythonFloat(text: string): number | undefined {
  const trimmed = text.trim();
  if (PYTHON_SPECIAL.test(trimmed)) {
    const negative = trimmed.startsWith("-");
    if (/nan/i.test(trimmed)) return NaN;
    return negative ? -Infinity : Infinity;
  }
  if (!PYTHON_FLOAT.test(trimmed)) return undefined;
  return Number(trimmed.replace(/_/g, ""));
}
