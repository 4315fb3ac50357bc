/** Test helpers for the image blocks: shared photos (gate a test on them with `missing()` from @cvflow/vision/test-assets) and small synthetic images. */
import sharp from "sharp";
import { inputLineage, WorkflowImage, type Channels } from "@cvflow/vision";
import { sharedPhoto } from "@cvflow/vision/test-assets";

/** A shared photo decoded to RGB, as an input image named `id`. */
export async function photo(name: string, id = "image"): Promise<WorkflowImage> {
  const { data, info } = await sharp(sharedPhoto(name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return new WorkflowImage({ data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 }, inputLineage(id));
}

/** An input image whose every channel value is `value(x, y, channel)`. */
export function synthetic(width: number, height: number, channels: Channels, value: (x: number, y: number, c: number) => number, id = "image"): WorkflowImage {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < channels; c++) data[(y * width + x) * channels + c] = value(x, y, c);
  return new WorkflowImage({ data, width, height, channels }, inputLineage(id));
}

/** A one-channel input image from rows of values. */
export function grayImage(rows: readonly (readonly number[])[], id = "image"): WorkflowImage {
  return synthetic(rows[0]!.length, rows.length, 1, (x, y) => rows[y]![x]!, id);
}

/** One-channel pixels as rows of values. */
export function rowsOf(image: WorkflowImage): number[][] {
  const { data, width, height } = image.pixels;
  return Array.from({ length: height }, (_, y) => Array.from(data.subarray(y * width, (y + 1) * width)));
}

/** The region [x1, x2) x [y1, y2) of an image's pixels, copied straight from its buffer. */
export function region(image: WorkflowImage, x1: number, y1: number, x2: number, y2: number): Uint8Array {
  const { data, width, channels } = image.pixels;
  const out: number[] = [];
  for (let y = y1; y < y2; y++) out.push(...data.subarray((y * width + x1) * channels, (y * width + x2) * channels));
  return Uint8Array.from(out);
}
