/**
 * Image Slicer (SAHI's first step): tiles an image into overlapping slices, each a child image
 * placed by its offset, adding a dimension. v1 walks the image from the top-left corner with a
 * stride of slice size minus overlap, so the last slice of a row or column may be narrower; v2
 * shifts those last slices back inside the image so that every slice has the full size (slices
 * larger than the image shrink to it) and drops the duplicates this can create.
 */
import { defineBlock, type ElementBlock, type FieldSpec } from "@cvflow/engine";
import { checkRunRoom, type WorkflowImage } from "@cvflow/vision";

interface ImageSlicerParams {
  [key: string]: unknown;
  image: WorkflowImage;
  slice_width: number;
  slice_height: number;
  overlap_ratio_width: number;
  overlap_ratio_height: number;
}

/** x1, y1, x2, y2 of one slice. */
export type SliceBox = [number, number, number, number];

interface Grid {
  imageWidth: number;
  imageHeight: number;
  sliceWidth: number;
  sliceHeight: number;
  overlapRatioWidth: number;
  overlapRatioHeight: number;
}

/** Slice starts along one axis: 0, stride, 2·stride, ... while inside the image. */
function starts(size: number, slice: number, overlapRatio: number): number[] {
  const stride = slice - Math.trunc(overlapRatio * slice);
  const out: number[] = [];
  for (let s = 0; s < size; s += stride) out.push(s);
  return out;
}

/** Where slices begin and end along each axis: the slices are every y span with every x span, row by row. */
interface SliceAxes {
  xs: [number, number][];
  ys: [number, number][];
}

/** Spans clipped to the image. */
function axesV1({ imageWidth, imageHeight, sliceWidth, sliceHeight, overlapRatioWidth, overlapRatioHeight }: Grid): SliceAxes {
  const spans = (size: number, slice: number, overlapRatio: number) => starts(size, slice, overlapRatio).map((s): [number, number] => [s, Math.min(s + slice, size)]);
  return { xs: spans(imageWidth, sliceWidth, overlapRatioWidth), ys: spans(imageHeight, sliceHeight, overlapRatioHeight) };
}

function axesV2(grid: Grid): SliceAxes {
  const spans = (size: number, requested: number, overlapRatio: number): [number, number][] => {
    const slice = Math.min(requested, size);
    // A slice that would stick out of the image moves back by what sticks out, so it ends at the
    // edge. Starts that then coincide are kept once: a box repeats only where a start does.
    const anchored = starts(size, slice, overlapRatio).map((s) => s - Math.min(Math.max(s + slice - size, 0), slice));
    return [...new Set(anchored)].map((s) => [s, s + slice]);
  };
  return { xs: spans(grid.imageWidth, grid.sliceWidth, grid.overlapRatioWidth), ys: spans(grid.imageHeight, grid.sliceHeight, grid.overlapRatioHeight) };
}

function boxesOf({ xs, ys }: SliceAxes): SliceBox[] {
  return ys.flatMap(([y1, y2]) => xs.map(([x1, x2]): SliceBox => [x1, y1, x2, y2]));
}

/** Row by row, left to right; boxes clipped to the image. */
export function sliceOffsetsV1(grid: Grid): SliceBox[] {
  return boxesOf(axesV1(grid));
}

/** Row by row, left to right; every box of the full slice size (or the image's, if smaller), none twice. */
export function sliceOffsetsV2(grid: Grid): SliceBox[] {
  return boxesOf(axesV2(grid));
}

const size = (description: string): FieldSpec => ({ description, kinds: ["integer"], schema: { type: "integer", minimum: 1 }, default: 640 });
const overlap = (description: string): FieldSpec => ({
  description,
  kinds: ["float_zero_to_one"],
  schema: { type: "number", minimum: 0, exclusiveMaximum: 1 },
  default: 0.2,
});

function imageSlicer(version: "v1" | "v2", axesOf: (grid: Grid) => SliceAxes): ElementBlock<ImageSlicerParams> {
  return defineBlock<ImageSlicerParams>({
    manifest: {
      type: `roboflow_core/image_slicer@${version}`,
      name: "Image Slicer",
      description: "Tile the input image into a list of smaller images to perform small object detection.",
      family: "transformations",
      fields: {
        image: { description: "The image to slice.", kinds: ["image"], aliases: ["images"], required: true },
        slice_width: size("Width of each slice, in pixels."),
        slice_height: size("Height of each slice, in pixels."),
        overlap_ratio_width: overlap("Overlap of consecutive slices across the width, as a fraction of the slice width."),
        overlap_ratio_height: overlap("Overlap of consecutive slices across the height, as a fraction of the slice height."),
      },
      outputs: [{ name: "slices", kinds: ["image"] }],
      outputDimensionOffset: 1,
    },
    run({ image, slice_width, slice_height, overlap_ratio_width, overlap_ratio_height }) {
      const axes = axesOf({
        imageWidth: image.width,
        imageHeight: image.height,
        sliceWidth: slice_width,
        sliceHeight: slice_height,
        overlapRatioWidth: overlap_ratio_width,
        overlapRatioHeight: overlap_ratio_height,
      });
      // With a high overlap the slices together can be many times the image, and with small
      // slices they can be millions: checked from the axes, before any box is listed.
      const sum = (spans: [number, number][]) => spans.reduce((total, [a, b]) => total + (b - a), 0);
      const count = axes.xs.length * axes.ys.length;
      checkRunRoom(count, sum(axes.xs) * sum(axes.ys), `${count} slices`);
      const boxes = boxesOf(axes);
      return boxes.map(([x1, y1, x2, y2]) => ({
        slices: x2 > x1 && y2 > y1 ? image.crop(x1, y1, x2, y2, `image_slicer.${crypto.randomUUID()}`) : null,
      }));
    },
  });
}

export const imageSlicerBlock = imageSlicer("v1", axesV1);
export const imageSlicerV2Block = imageSlicer("v2", axesV2);
