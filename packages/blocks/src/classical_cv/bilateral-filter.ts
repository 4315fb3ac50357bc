/**
 * Bilateral filter on 8-bit pixels as OpenCV's bilateralFilter: a round window of radius d / 2,
 * spatial weight exp(-r² / 2σs²), colour weight exp(-Δ² / 2σc²) where for colour images Δ is the
 * sum of the absolute channel differences; edges reflected (BORDER_REFLECT_101).
 */
import type { RawPixels } from "@cvflow/vision";
import { borderIndex, reflect101 } from "./border.js";

export function bilateralFilter(pixels: RawPixels, d: number, sigmaColor: number, sigmaSpace: number): RawPixels {
  const { data, width, height, channels } = pixels;
  const radius = Math.max(Math.floor(d / 2), 1);
  const colorCoeff = -0.5 / (sigmaColor * sigmaColor);
  const spaceCoeff = -0.5 / (sigmaSpace * sigmaSpace);
  const colorWeight = Float64Array.from({ length: 256 * channels }, (_, i) => Math.exp(i * i * colorCoeff));
  const offsets: [number, number, number][] = [];
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const r = Math.sqrt(dy * dy + dx * dx);
      if (r <= radius) offsets.push([dy, dx, Math.exp(r * r * spaceCoeff)]);
    }
  }
  const cols = borderIndex(width, radius, radius, reflect101);
  const rows = borderIndex(height, radius, radius, reflect101);
  const out = new Uint8Array(data.length);
  const sums = new Float64Array(channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const centre = (y * width + x) * channels;
      sums.fill(0);
      let wsum = 0;
      for (const [dy, dx, spatial] of offsets) {
        const o = (rows[y + radius + dy]! * width + cols[x + radius + dx]!) * channels;
        let diff = 0;
        for (let c = 0; c < channels; c++) diff += Math.abs(data[o + c]! - data[centre + c]!);
        const w = spatial * colorWeight[diff]!;
        for (let c = 0; c < channels; c++) sums[c]! += w * data[o + c]!;
        wsum += w;
      }
      for (let c = 0; c < channels; c++) out[centre + c] = Math.round(sums[c]! / wsum);
    }
  }
  return { data: out, width, height, channels };
}
