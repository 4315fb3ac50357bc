/**
 * Colour palettes and the choice of a detection's colour (supervision's ColorPalette and
 * ColorLookup): DEFAULT, ROBOFLOW, LEGACY, CUSTOM (from `custom_colors`) or a matplotlib
 * colormap sampled to `palette_size` colours; the colour index is the class id (CLASS), the
 * detection's position (INDEX) or its tracker id (TRACK), taken modulo the palette's length.
 */
import type { Detections } from "@cvflow/engine";
import { DEFAULT_PALETTE } from "@cvflow/wire";
import { invalidDrawing } from "../../errors.js";
import { parseColor, type Rgb } from "./color-parsing.js";
import { MATPLOTLIB_COLORMAPS } from "./matplotlib-colormaps.js";

export const COLOR_PALETTES = [
  "DEFAULT",
  "CUSTOM",
  "ROBOFLOW",
  "Matplotlib Viridis",
  "Matplotlib Plasma",
  "Matplotlib Inferno",
  "Matplotlib Magma",
  "Matplotlib Cividis",
  "Matplotlib Pastel1",
  "Matplotlib Pastel2",
  "Matplotlib Paired",
  "Matplotlib Accent",
  "Matplotlib Dark2",
  "Matplotlib Set1",
  "Matplotlib Set2",
  "Matplotlib Set3",
  "Matplotlib Tab10",
  "Matplotlib Tab20",
  "Matplotlib Tab20b",
  "Matplotlib Tab20c",
] as const;

export const COLOR_AXES = ["INDEX", "CLASS", "TRACK"] as const;
export type ColorAxis = (typeof COLOR_AXES)[number];

const NAMED_PALETTES: Readonly<Record<string, string>> = {
  // Shared with the debugger page, which draws its overlays in the same colours.
  DEFAULT: DEFAULT_PALETTE.join(""),
  ROBOFLOW: "c28dfca351fb8315f96706ce5905b34d049a",
  LEGACY: "a351fbe6194b3cb44bffe1190082c8f58231911eb446f0f0f032e6d2f53cfabebe008080e6beffaa6e28fffac8800000aaffc3",
};

/** Names Python's str.capitalize() turns into the matplotlib name; every other name is lower-cased. */
const CAPITALIZED = new Set(["Pastel1", "Pastel2", "Paired", "Accent", "Dark2", "Set1", "Set2", "Set3"]);

export function resolvePalette(name: string, size: number, customColors: readonly string[]): Rgb[] {
  if (name === "CUSTOM") {
    if (customColors.length === 0) {
      throw invalidDrawing("invalid_color_palette", 'color_palette "CUSTOM" needs at least one color in custom_colors');
    }
    return customColors.map(parseColor);
  }
  const named = NAMED_PALETTES[name];
  if (named) return hexColors(named);
  const short = name.replace("Matplotlib ", "");
  const colormapName = CAPITALIZED.has(short) ? capitalize(short) : short.toLowerCase();
  const listed = MATPLOTLIB_COLORMAPS[colormapName];
  if (!listed) throw invalidDrawing("invalid_color_palette", `Unknown color palette ${JSON.stringify(name)}`);
  return resample(hexColors(listed), Math.trunc(size));
}

/**
 * matplotlib's `get_cmap(name, n)`: n evenly spaced samples of the listed colours, sample k
 * taking entry floor(k / (n - 1) * N) (the last one N - 1), with numpy's linspace arithmetic.
 */
function resample(colors: readonly Rgb[], count: number): Rgb[] {
  if (count < 1) throw invalidDrawing("invalid_palette_size", `palette_size must be at least 1, got ${count}`);
  const n = colors.length;
  const step = 1 / (count - 1);
  return Array.from({ length: count }, (_, k) => {
    const x = count === 1 ? 0 : k === count - 1 ? 1 : k * step;
    return colors[Math.min(Math.floor(x * n), n - 1)]!;
  });
}

function hexColors(hex: string): Rgb[] {
  return Array.from({ length: hex.length / 6 }, (_, i) => {
    const v = parseInt(hex.slice(i * 6, i * 6 + 6), 16);
    return [(v >> 16) & 255, (v >> 8) & 255, v & 255] as const;
  });
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

/** The palette index of detection `i`: its class id, its index, or its tracker id. */
export function colorIndex(detections: Detections, i: number, axis: string): number {
  switch (axis) {
    case "INDEX":
      return i;
    case "CLASS":
      return detections.classId[i]!;
    case "TRACK": {
      const trackerId = detections.data["tracker_id"]?.[i];
      if (typeof trackerId !== "number") {
        throw invalidDrawing("missing_tracker_id",
          'color_axis "TRACK" needs tracker ids; run a tracker (e.g. ByteTrack) on the predictions first',
        );
      }
      return trackerId;
    }
    default:
      throw invalidDrawing("invalid_color_axis", `Unknown color_axis ${JSON.stringify(axis)}; use CLASS, INDEX or TRACK`);
  }
}

export function paletteColor(palette: readonly Rgb[], index: number): Rgb {
  if (index < 0) throw invalidDrawing("invalid_color_index", `A color index may not be negative, got ${index}`);
  return palette[index % palette.length]!;
}
