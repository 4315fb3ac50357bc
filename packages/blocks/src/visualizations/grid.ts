/**
 * Grid Visualization: images tiled into one, in a square grid of ceil(sqrt(n)) columns and rows,
 * each shrunk or enlarged (cv2.resize INTER_AREA) to fit its cell with its aspect ratio, centred
 * in it, on black. A list among the images (a Buffer's output) is flattened into the grid; a
 * missing image leaves its cell black. No images: a black image of the grid's size.
 *
 * Unlike Roboflow, `images` must be a list here: Roboflow also takes one bare selector of a list
 * (older definitions); write it as ["$steps.buffer.output"].
 */
import { randomUUID } from "node:crypto";
import { defineBlock } from "@cvflow/engine";
import { checkRunImage, inputLineage, WorkflowImage, type RawPixels } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { resizeArea } from "./draw/resize-area.js";
import { IMAGE_OUTPUTS } from "./common/visualization-fields.js";

interface GridParams {
  [key: string]: unknown;
  images: readonly unknown[];
  width: number;
  height: number;
}

export const gridVisualizationBlock = defineBlock<GridParams>({
  manifest: {
    type: "roboflow_core/grid_visualization@v1",
    name: "Grid Visualization",
    description: "Shows an array of images in a grid.",
    family: "visualizations",
    fields: {
      images: {
        description: "Images to tile, in order: single images and/or lists of images (flattened), all at the same batch level.",
        shape: "list",
        kinds: ["image", "list_of_values"],
        required: true,
      },
      width: {
        description: "Width of the grid image in pixels.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        default: 2560,
      },
      height: {
        description: "Height of the grid image in pixels.",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        default: 1440,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  run({ images, width, height }) {
    const tiles = images.flatMap((item) => (Array.isArray(item) ? item : [item])).map((item, i) => {
      if (item === null || item === undefined) return null;
      if (!(item instanceof WorkflowImage)) throw invalidField(`images[${i}] is not an image`);
      return item;
    });
    checkRunImage(width, height, `a ${width}x${height} grid`);
    const canvas: RawPixels = { width, height, channels: 3, data: new Uint8Array(width * height * 3) };
    const first = tiles.find((t) => t !== null);
    if (tiles.length > 0) drawGrid(canvas, tiles);
    // Roboflow: the grid descends from the first image; with none, it is an image of its own.
    return { image: first ? first.withPixels(canvas) : new WorkflowImage(canvas, inputLineage(randomUUID())) };
  },
});

function drawGrid(canvas: RawPixels, tiles: readonly (WorkflowImage | null)[]): void {
  const side = Math.ceil(Math.sqrt(tiles.length));
  const cellWidth = Math.floor(canvas.width / side);
  const cellHeight = Math.floor(canvas.height / side);
  tiles.forEach((tile, index) => {
    if (!tile) return;
    const [row, column] = [Math.floor(index / side), index % side];
    const scale = Math.min(cellWidth / tile.width, cellHeight / tile.height);
    const [w, h] = [Math.trunc(tile.width * scale), Math.trunc(tile.height * scale)];
    // A cell too small for a pixel of the image (cv2.resize would refuse): the cell stays black.
    if (w <= 0 || h <= 0) return;
    const thumb = resizeArea(asRgb(tile.pixels), w, h);
    const left = Math.max(column * cellWidth + Math.floor((cellWidth - w) / 2), 0);
    const top = Math.max(row * cellHeight + Math.floor((cellHeight - h) / 2), 0);
    const copyWidth = Math.min(left + w, canvas.width) - left;
    for (let y = 0; y < h && top + y < canvas.height; y++) {
      canvas.data.set(thumb.data.subarray(y * w * 3, (y * w + copyWidth) * 3), ((top + y) * canvas.width + left) * 3);
    }
  });
}

/** A one-channel image as three equal channels (the grid is colour). */
function asRgb(pixels: RawPixels): RawPixels {
  if (pixels.channels === 3) return pixels;
  const data = new Uint8Array(pixels.width * pixels.height * 3);
  for (let p = 0; p < pixels.width * pixels.height; p++) data.fill(pixels.data[p]!, p * 3, p * 3 + 3);
  return { ...pixels, channels: 3, data };
}
