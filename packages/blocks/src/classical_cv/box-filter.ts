/**
 * Normalised box filter on 8-bit pixels (OpenCV's blur / boxFilter), anchor at the kernel centre
 * (ksize / 2, rounded down). The division rounds as OpenCV does: for kernels of at most 256
 * pixels it sums in 16 bits and multiplies by a fixed-point reciprocal (23 bits); otherwise it rounds
 * the quotient to nearest, ties to even.
 */
import type { RawPixels } from "@cvflow/vision";
import { borderIndex, type Border } from "./border.js";

export function boxFilter(pixels: RawPixels, kw: number, kh: number, border: Border): RawPixels {
  const { data, width, height, channels } = pixels;
  const ax = Math.floor(kw / 2);
  const ay = Math.floor(kh / 2);
  const cols = borderIndex(width, ax, kw - 1 - ax, border);
  const rows = borderIndex(height, ay, kh - 1 - ay, border);
  // Horizontal sums for every source row, then vertical sums of those.
  const horizontal = new Int32Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < kw; k++) s += data[(y * width + cols[x + k]!) * channels + c]!;
        horizontal[(y * width + x) * channels + c] = s;
      }
    }
  }
  const divide = divider(kw * kh);
  const out = new Uint8Array(data.length);
  const rowBytes = width * channels;
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < rowBytes; i++) {
      let s = 0;
      for (let k = 0; k < kh; k++) s += horizontal[rows[y + k]! * rowBytes + i]!;
      out[y * rowBytes + i] = divide(s);
    }
  }
  return { data: out, width, height, channels };
}

function divider(area: number): (sum: number) => number {
  if (area === 1) return (s) => s;
  if (area <= 256) {
    // OpenCV's ColumnSum<ushort, uchar>: (s + delta) * scale >> 23 with scale ≈ 2^23 / area.
    const exact = 2 ** 23 / area;
    let scale = Math.floor(exact);
    let delta = Math.floor(area / 2);
    if (exact - scale < 0.5) delta++;
    else scale++;
    return (s) => Math.min(255, Math.floor(((s + delta) * scale) / 2 ** 23));
  }
  return (s) => {
    const q = Math.floor(s / area);
    const twice = 2 * (s - q * area);
    return Math.min(255, twice > area || (twice === area && q % 2 === 1) ? q + 1 : q);
  };
}
