/** The heatmap's arithmetic (draw/heat.ts) against plain definitions. */
import { describe, expect, it } from "vitest";
import { boxBlur, heatHues, hueColor } from "../src/visualizations/draw/heat.js";

/** The k x k mean at every pixel, each neighbour found by reflecting its index (BORDER_REFLECT_101), rounded half to even. */
function slowBlur(image: Uint8Array, width: number, height: number, k: number): number[] {
  const reflect = (p: number, n: number): number => (n === 1 ? 0 : p < 0 ? reflect(-p, n) : p >= n ? reflect(2 * n - 2 - p, n) : p);
  const a = Math.floor(k / 2);
  const out: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < k; dy++) for (let dx = 0; dx < k; dx++) sum += image[reflect(y - a + dy, height) * width + reflect(x - a + dx, width)]!;
      const v = sum / (k * k);
      const r = Math.round(v);
      out.push(r - v === 0.5 && r % 2 === 1 ? r - 1 : r);
    }
  }
  return out;
}

describe("heatmap arithmetic", () => {
  it("boxBlur is the k x k mean with reflected borders, for odd and even k, on images narrower than k", () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (const [w, h] of [[13, 9], [5, 4], [1, 6]] as const) {
      const image = Uint8Array.from({ length: w * h }, next);
      for (const k of [1, 2, 3, 4, 5, 8]) expect([...boxBlur(image, w, h, k)], `${w}x${h} k=${k}`).toEqual(slowBlur(image, w, h, k));
    }
  });

  it("heatHues: no heat is low_hue, the most is top_hue, linear between, truncated", () => {
    expect([...heatHues([0, 1, 2, 4], 125, 0)]).toEqual([125, 93, 62, 0]);
    expect([...heatHues([0, 3], 20, 170)]).toEqual([20, 170]);
  });

  it("hueColor: OpenCV's 8-bit hues (half degrees) at full saturation and value", () => {
    expect([0, 30, 60, 90, 120, 150].map(hueColor)).toEqual([
      [255, 0, 0],
      [255, 255, 0],
      [0, 255, 0],
      [0, 255, 255],
      [0, 0, 255],
      [255, 0, 255],
    ]);
    // Between sectors, the rising or falling channel in proportion: hue 15 is half way from red to yellow.
    expect(hueColor(15)).toEqual([255, 128, 0]);
  });
});
