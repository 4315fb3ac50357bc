/**
 * Colours as the reference implementation's image blocks take them: "#RRGGBB", "#RGB",
 * "(r, g, b)" or a three-number list, always meaning red, green, blue.
 */
import { invalidColor } from "../errors.js";

export type Rgb = [number, number, number];

export function parseColorTuple(value: unknown, field: string): Rgb {
  if (Array.isArray(value) && value.length === 3 && value.every((v) => Number.isInteger(v))) {
    return value.map(clampByte) as Rgb;
  }
  if (typeof value === "string") {
    const text = value.trim();
    if (/^#[0-9a-f]{6}$/i.test(text)) return [1, 3, 5].map((i) => parseInt(text.slice(i, i + 2), 16)) as Rgb;
    if (/^#[0-9a-f]{3}$/i.test(text)) return [1, 2, 3].map((i) => parseInt(text[i]!.repeat(2), 16)) as Rgb;
    const tuple = /^\(\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*\)$/.exec(text);
    if (tuple) return [tuple[1]!, tuple[2]!, tuple[3]!].map((v) => clampByte(Number(v))) as Rgb;
  }
  throw invalidColor(`"${field}" must be a colour as "#RRGGBB", "#RGB", "(r, g, b)" or [r, g, b]; got ${JSON.stringify(value)}`, field);
}

function clampByte(v: number): number {
  return Math.min(255, Math.max(0, v));
}
