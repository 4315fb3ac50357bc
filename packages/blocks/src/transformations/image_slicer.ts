/**
 * Image Slicer (SAHI's first step): tiles an image into overlapping slices, each a child image
 * placed by its offset, adding a dimension. v1 walks the image from the top-left corner with a
 * stride of slice size minus overlap, so the last slice of a row or column may be narrower; v2
 * shifts those last slices back inside the image so that every slice has the full size (slices
 * larger than the image shrink to it) and drops the duplicates this can create.
 */
import { defineBlock, type ElementBlock, type FieldSpec } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";

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

/** Row by row, left to right; boxes clipped to the image. */
export function sliceOffsetsV1({ imageWidth, imageHeight, sliceWidth, sliceHeight, overlapRatioWidth, overlapRatioHeight }: Grid): SliceBox[] {
  const xs = starts(imageWidth, sliceWidth, overlapRatioWidth);
  const ys = starts(imageHeight, sliceHeight, overlapRatioHeight);
  return ys.flatMap((y) => xs.map((x): SliceBox => [x, y, Math.min(x + sliceWidth, imageWidth), Math.min(y + sliceHeight, imageHeight)]));
}

export function sliceOffsetsV2(grid: Grid): SliceBox[] {
  const sliceWidth = Math.min(grid.sliceWidth, grid.imageWidth);
  const sliceHeight = Math.min(grid.sliceHeight, grid.imageHeight);
  // A slice that would stick out of the image moves back by what sticks out, so it ends at the edge.
  const anchor = (s: number, slice: number, size: number): number => s - Math.min(Math.max(s + slice - size, 0), slice);
  const xs = starts(grid.imageWidth, sliceWidth, grid.overlapRatioWidth).map((x) => anchor(x, sliceWidth, grid.imageWidth));
  const ys = starts(grid.imageHeight, sliceHeight, grid.overlapRatioHeight).map((y) => anchor(y, sliceHeight, grid.imageHeight));
  const seen = new Set<string>();
  const out: SliceBox[] = [];
  for (const y of ys) {
    for (const x of xs) {
      const box: SliceBox = [x, y, x + sliceWidth, y + sliceHeight];
      const key = box.join(",");
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(box);
    }
  }
  return out;
}

const size = (description: string): FieldSpec => ({ description, kinds: ["integer"], schema: { type: "integer", minimum: 1 }, default: 640 });
const overlap = (description: string): FieldSpec => ({
  description,
  kinds: ["float_zero_to_one"],
  schema: { type: "number", minimum: 0, exclusiveMaximum: 1 },
  default: 0.2,
});

function imageSlicer(version: "v1" | "v2", offsets: (grid: Grid) => SliceBox[]): ElementBlock<ImageSlicerParams> {
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
      const boxes = offsets({
        imageWidth: image.width,
        imageHeight: image.height,
        sliceWidth: slice_width,
        sliceHeight: slice_height,
        overlapRatioWidth: overlap_ratio_width,
        overlapRatioHeight: overlap_ratio_height,
      });
      return boxes.map(([x1, y1, x2, y2]) => ({
        slices: x2 > x1 && y2 > y1 ? image.crop(x1, y1, x2, y2, `image_slicer.${crypto.randomUUID()}`) : null,
      }));
    },
  });
}

export const imageSlicerBlock = imageSlicer("v1", sliceOffsetsV1);
export const imageSlicerV2Block = imageSlicer("v2", sliceOffsetsV2);
