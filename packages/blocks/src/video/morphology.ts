/**
 * Binary morphology for motion masks: OpenCV's elliptical structuring element and a morphological
 * opening (erode, then dilate), pixels outside the image ignored as OpenCV's default border does.
 */

/** getStructuringElement(MORPH_ELLIPSE, (size, size)) as [dx, dy] offsets from the centre. */
export function ellipseOffsets(size: number): [number, number][] {
  const r = Math.floor(size / 2);
  const invR2 = r ? 1 / (r * r) : 0;
  const offsets: [number, number][] = [];
  for (let i = 0; i < size; i++) {
    const dy = i - r;
    if (Math.abs(dy) > r) continue;
    const dx = Math.round(r * Math.sqrt((r * r - dy * dy) * invR2));
    for (let j = Math.max(r - dx, 0); j < Math.min(r + dx + 1, size); j++) offsets.push([j - r, dy]);
  }
  return offsets;
}

/** MORPH_OPEN of a 0/255 mask: removes specks smaller than the element. */
export function open(mask: Uint8Array, width: number, height: number, size: number): Uint8Array {
  const offsets = ellipseOffsets(size);
  return apply(apply(mask, width, height, offsets, true), width, height, offsets, false);
}

function apply(mask: Uint8Array, width: number, height: number, offsets: readonly [number, number][], erode: boolean): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let on = erode;
      for (const [dx, dy] of offsets) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        if ((mask[ny * width + nx] !== 0) !== erode) {
          on = !erode;
          break;
        }
      }
      out[y * width + x] = on ? 255 : 0;
    }
  }
  return out;
}
