/** Median filter on 8-bit pixels (OpenCV's medianBlur): odd square window, edges replicated. */
import type { RawPixels } from "@cvflow/vision";
import { borderIndex, replicate } from "./border.js";

export function medianBlur(pixels: RawPixels, ksize: number): RawPixels {
  const { data, width, height, channels } = pixels;
  const r = Math.floor(ksize / 2);
  const cols = borderIndex(width, r, r, replicate);
  const rows = borderIndex(height, r, r, replicate);
  const rank = Math.floor((ksize * ksize) / 2);
  const out = new Uint8Array(data.length);
  const histogram = new Int32Array(256);
  const at = (y: number, x: number, c: number): number => data[(rows[y]! * width + cols[x]!) * channels + c]!;
  // A histogram of the window slides along each row: one column leaves, one enters.
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      histogram.fill(0);
      for (let dy = 0; dy < ksize; dy++) for (let dx = 0; dx < ksize; dx++) histogram[at(y + dy, dx, c)]!++;
      for (let x = 0; x < width; x++) {
        if (x > 0) {
          for (let dy = 0; dy < ksize; dy++) {
            histogram[at(y + dy, x - 1, c)]!--;
            histogram[at(y + dy, x + ksize - 1, c)]!++;
          }
        }
        let seen = 0;
        let v = 0;
        while ((seen += histogram[v]!) <= rank) v++;
        out[(y * width + x) * channels + c] = v;
      }
    }
  }
  return { data: out, width, height, channels };
}
