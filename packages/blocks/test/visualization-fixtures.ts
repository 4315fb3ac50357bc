/** Test helpers for the visualization blocks: plain images, pixel reads, and running a block as the executor would. */
import type { BlockParams, ElementBlock } from "@cvflow/engine";
import { inputLineage, WorkflowImage, type Channels } from "@cvflow/vision";
import { context } from "./detections-fixture.js";

export type Color = [number, number, number];

/** A width x height image of one colour (or one gray value on a one-channel image). */
export function plainImage(width: number, height: number, fill: readonly number[] = [10, 20, 30], channels: Channels = 3): WorkflowImage {
  const data = new Uint8Array(width * height * channels);
  for (let o = 0; o < data.length; o += channels) data.set(fill.slice(0, channels), o);
  return new WorkflowImage({ data, width, height, channels }, inputLineage("image"));
}

/** An image whose channels all hold value(x, y). */
export function patternImage(width: number, height: number, value: (x: number, y: number) => number): WorkflowImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(value(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
  return new WorkflowImage({ data, width, height, channels: 3 }, inputLineage("image"));
}

export function pixel(image: WorkflowImage, x: number, y: number): number[] {
  const { data, width, channels } = image.pixels;
  return Array.from(data.subarray((y * width + x) * channels, (y * width + x + 1) * channels));
}

/** [x, y] of every pixel that differs between two images of one size. */
export function changedPixels(before: WorkflowImage, after: WorkflowImage): [number, number][] {
  const { width, channels } = before.pixels;
  const changed: [number, number][] = [];
  const a = before.pixels.data;
  const b = after.pixels.data;
  for (let p = 0; p < a.length; p += channels) {
    for (let c = 0; c < channels; c++) {
      if (a[p + c] !== b[p + c]) {
        const i = p / channels;
        changed.push([i % width, Math.floor(i / width)]);
        break;
      }
    }
  }
  return changed;
}

/** Runs a visualization block with its manifest defaults under `params`; returns the `image` output. */
export async function visualize<P extends BlockParams>(block: ElementBlock<P>, params: Partial<P>): Promise<WorkflowImage> {
  const defaults = Object.fromEntries(Object.entries(block.manifest.fields).map(([name, spec]) => [name, spec.default]));
  const result = (await block.run({ ...defaults, ...params } as P, context())) as { image: WorkflowImage };
  return result.image;
}

/** The default palette's first colours (class 0, 1, 2). */
export const PURPLE: Color = [0xa3, 0x51, 0xfb];
export const RED: Color = [0xff, 0x40, 0x40];
export const PINK: Color = [0xff, 0xa1, 0xa0];
