import { describe, expect, it } from "vitest";
import { parseColor } from "../src/visualizations/draw/color-parsing.js";
import { resolvePalette } from "../src/visualizations/draw/palette.js";

describe("colours", () => {
  it("reads #RRGGBB, #RGB, rgb(r, g, b), bgr(b, g, r) and supervision's colour names in any case", () => {
    expect(parseColor("#FF8000")).toEqual([255, 128, 0]);
    expect(parseColor("#f0a")).toEqual([255, 0, 170]);
    expect(parseColor("rgb(1, 2, 3)")).toEqual([1, 2, 3]);
    expect(parseColor("bgr(1, 2, 3)")).toEqual([3, 2, 1]);
    expect(parseColor("WHITE")).toEqual([255, 255, 255]);
    expect(parseColor("black")).toEqual([0, 0, 0]);
    expect(parseColor("Roboflow")).toEqual([163, 81, 251]);
    expect(parseColor("yellow")).toEqual([255, 255, 0]);
  });

  it("refuses anything else, naming the formats", () => {
    for (const bad of ["purple", "#12345", "#GG0000", "rgb(1, 2)", "FF0000", ""]) {
      expect(() => parseColor(bad)).toThrow(/valid formats are #RRGGBB, rgb\(R, G, B\), bgr\(B, G, R\)/);
    }
  });
});

describe("palettes", () => {
  it("DEFAULT and ROBOFLOW are supervision's", () => {
    const byDefault = resolvePalette("DEFAULT", 10, []);
    expect(byDefault).toHaveLength(21);
    expect(byDefault.slice(0, 3)).toEqual([[0xa3, 0x51, 0xfb], [0xff, 0x40, 0x40], [0xff, 0xa1, 0xa0]]);
    expect(resolvePalette("ROBOFLOW", 10, [])).toEqual([
      [0xc2, 0x8d, 0xfc], [0xa3, 0x51, 0xfb], [0x83, 0x15, 0xf9], [0x67, 0x06, 0xce], [0x59, 0x05, 0xb3], [0x4d, 0x04, 0x9a],
    ]);
  });

  it("samples a matplotlib colormap to palette_size colours as sv.ColorPalette.from_matplotlib", () => {
    // 5 samples of viridis's 256 entries: entries 0, 64, 128, 192, 255. Entry 64 is
    // (0.229739, 0.322361, 0.545706); supervision truncates x * 255: (58, 82, 139). (Its docstring
    // shows 59, rounded; the code truncates.)
    const viridis = resolvePalette("Matplotlib Viridis", 5, []);
    expect(viridis.slice(0, 2)).toEqual([[68, 1, 84], [58, 82, 139]]);
    expect(viridis).toHaveLength(5);
    // tab10's first colour is #1f77b4; ColorBrewer's Pastel1 (9 colours) sampled 10 times repeats its last.
    expect(resolvePalette("Matplotlib Tab10", 10, [])[0]).toEqual([0x1f, 0x77, 0xb4]);
    const pastel = resolvePalette("Matplotlib Pastel1", 10, []);
    expect(pastel.slice(0, 2)).toEqual([[0xfb, 0xb4, 0xae], [0xb3, 0xcd, 0xe3]]);
    expect(pastel[9]).toEqual(pastel[8]);
    expect(resolvePalette("Matplotlib Viridis", 1, [])).toEqual([[68, 1, 84]]);
  });

  it("CUSTOM takes custom_colors; an empty list or an unknown name is an error", () => {
    expect(resolvePalette("CUSTOM", 10, ["#FF0000", "bgr(255, 0, 0)"])).toEqual([[255, 0, 0], [0, 0, 255]]);
    expect(() => resolvePalette("CUSTOM", 10, [])).toThrow(/custom_colors/);
    expect(() => resolvePalette("Matplotlib Jet", 10, [])).toThrow(/Unknown color palette/);
  });
});
