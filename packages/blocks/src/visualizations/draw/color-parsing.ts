/**
 * Colours as Roboflow's visualization blocks accept them: "#RRGGBB" (or "#RGB"),
 * "rgb(r, g, b)", "bgr(b, g, r)", or a named colour (WHITE, BLACK, RED, GREEN, BLUE, YELLOW,
 * ROBOFLOW; any case).
 */
import { WorkflowError } from "@cvflow/engine";
import { invalidColor } from "../../errors.js";

export type Rgb = readonly [number, number, number];

const NAMED: Readonly<Record<string, Rgb>> = {
  WHITE: [255, 255, 255],
  BLACK: [0, 0, 0],
  RED: [255, 0, 0],
  GREEN: [0, 255, 0],
  BLUE: [0, 0, 255],
  YELLOW: [255, 255, 0],
  ROBOFLOW: [0xa3, 0x51, 0xfb],
};

export function parseColor(text: string): Rgb {
  const color = String(text);
  if (color.startsWith("#")) return parseHex(color);
  if (color.startsWith("rgb")) return parseTriple(color, false);
  if (color.startsWith("bgr")) return parseTriple(color, true);
  const named = NAMED[color.toUpperCase()];
  if (named) return named;
  throw unparsedColor(color);
}

function parseHex(color: string): Rgb {
  let hex = color.replace(/^#+/, "");
  if (!/^[0-9a-fA-F]+$/.test(hex) || (hex.length !== 3 && hex.length !== 6)) throw unparsedColor(color);
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join("");
  return [parseInt(hex.slice(0, 2), 16), parseInt(hex.slice(2, 4), 16), parseInt(hex.slice(4, 6), 16)];
}

/** "rgb(1, 2, 3)": whatever stands between the 4th character and the last, split on commas. */
function parseTriple(color: string, bgr: boolean): Rgb {
  const parts = color.slice(4, -1).split(",").map((p) => p.trim());
  if (parts.length !== 3 || !parts.every((p) => /^[+-]?\d+$/.test(p))) throw unparsedColor(color);
  const [a, b, c] = parts.map((p) => Math.min(255, Math.max(0, Number(p)))) as [number, number, number];
  return bgr ? [c, b, a] : [a, b, c];
}

function unparsedColor(color: string): WorkflowError {
  return invalidColor(
    `Invalid color: ${JSON.stringify(color)}; valid formats are #RRGGBB, rgb(R, G, B), bgr(B, G, R), ` +
      "or a color name (WHITE, BLACK, RED, GREEN, BLUE, YELLOW, ROBOFLOW).",
  );
}
