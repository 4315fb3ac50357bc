/**
 * The cases of reference/supervision_visualizations.py, built here the same way: the shared PNG
 * photos (lossless, so both sides start from the same pixels), the same boxes, classes and
 * elliptical masks, and the block parameters that select the annotator settings the script uses.
 * Grids start from no photo: their `photo` is only the image passed alongside (and ignored).
 */
import sharp from "sharp";
import { Detections, type BitMask, type ElementBlock, type BlockParams } from "@cvflow/engine";
import { inputLineage, WorkflowImage } from "@cvflow/vision";
import { sharedPhoto } from "@cvflow/vision/test-assets";
import { backgroundColorVisualizationBlock } from "../src/visualizations/background_color.js";
import { cropVisualizationBlock } from "../src/visualizations/crop.js";
import { ellipseVisualizationBlock } from "../src/visualizations/ellipse.js";
import { gridVisualizationBlock } from "../src/visualizations/grid.js";
import { haloVisualizationBlock, haloVisualizationV2Block } from "../src/visualizations/halo.js";
import { iconVisualizationBlock } from "../src/visualizations/icon.js";
import { modelComparisonVisualizationBlock } from "../src/visualizations/model_comparison.js";
import { textDisplayBlock } from "../src/visualizations/text_display.js";
import { triangleVisualizationBlock } from "../src/visualizations/triangle.js";

export const REFERENCE_PHOTOS = ["coffee.png", "chelsea.png"] as const;
type Photo = (typeof REFERENCE_PHOTOS)[number];

const SIZES: Record<Photo, [number, number]> = { "coffee.png": [600, 400], "chelsea.png": [451, 300] };

type Box = [number, number, number, number];
const COFFEE_BOXES: Box[] = [
  [173.4, 25.8, 430.9, 233.2],
  [390.2, 180.7, 560.5, 300.1],
  [-20.0, 330.0, 90.6, 420.0],
];
const CHELSEA_BOXES: Box[] = [
  [120.0, 20.0, 330.0, 190.0],
  [200.5, 200.5, 260.5, 260.5],
];

/** The pixels with ((x - cx) / a)² + ((y - cy) / b)² <= 1, as a whole-image mask. */
function ellipseMask(width: number, height: number, cx: number, cy: number, a: number, b: number): BitMask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = ((x - cx) / a) ** 2 + ((y - cy) / b) ** 2 <= 1 ? 1 : 0;
  return { width, height, left: 0, top: 0, columns: width, rows: height, data };
}

function detections(photo: Photo, boxes: readonly Box[], classIds: readonly number[], masks?: BitMask[]): Detections {
  const [width, height] = SIZES[photo];
  return new Detections({
    image: { width, height },
    xyxy: boxes.flat(),
    confidence: boxes.map(() => 0.9),
    classId: [...classIds],
    className: classIds.map((c) => `class-${c}`),
    masks,
  });
}

const coffee = () => detections("coffee.png", COFFEE_BOXES, [0, 1, 2]);
const chelseaBoxes = () => detections("chelsea.png", CHELSEA_BOXES, [0, 3]);
const chelseaMasked = () =>
  detections("chelsea.png", CHELSEA_BOXES, [0, 3], [ellipseMask(451, 300, 225, 105, 100, 80), ellipseMask(451, 300, 230, 230, 28, 25)]);

export interface ReferenceCase {
  photo: Photo;
  block: ElementBlock<BlockParams>;
  params: () => Record<string, unknown> | Promise<Record<string, unknown>>;
}

const block = <P extends BlockParams>(b: ElementBlock<P>) => b as unknown as ElementBlock<BlockParams>;

export const REFERENCE_CASES: Record<string, ReferenceCase> = {
  background_color_boxes: { photo: "coffee.png", block: block(backgroundColorVisualizationBlock), params: () => ({ predictions: coffee() }) },
  background_color_masks: {
    photo: "chelsea.png",
    block: block(backgroundColorVisualizationBlock),
    params: () => ({ predictions: chelseaMasked(), color: "#3366cc", opacity: 0.7 }),
  },
  model_comparison_boxes: {
    photo: "coffee.png",
    block: block(modelComparisonVisualizationBlock),
    params: () => ({
      predictions_a: detections("coffee.png", COFFEE_BOXES.slice(0, 2), [0, 1]),
      predictions_b: detections("coffee.png", COFFEE_BOXES.slice(1), [1, 2]),
    }),
  },
  model_comparison_masks_vs_boxes: {
    photo: "chelsea.png",
    block: block(modelComparisonVisualizationBlock),
    params: () => ({ predictions_a: chelseaMasked(), predictions_b: chelseaBoxes(), opacity: 0.4 }),
  },
  triangle_default: { photo: "coffee.png", block: block(triangleVisualizationBlock), params: () => ({ predictions: coffee() }) },
  triangle_outlined_center: {
    photo: "coffee.png",
    block: block(triangleVisualizationBlock),
    params: () => ({ predictions: coffee(), base: 31, height: 24, position: "CENTER", outline_thickness: 3 }),
  },
  ellipse_default: { photo: "coffee.png", block: block(ellipseVisualizationBlock), params: () => ({ predictions: coffee() }) },
  ellipse_full_thick: {
    photo: "chelsea.png",
    block: block(ellipseVisualizationBlock),
    params: () => ({ predictions: chelseaBoxes(), thickness: 5, start_angle: 0, end_angle: 360 }),
  },
  ellipse_thin_arc: {
    photo: "coffee.png",
    block: block(ellipseVisualizationBlock),
    params: () => ({ predictions: coffee(), thickness: 1, start_angle: 200, end_angle: -30, color_axis: "INDEX" }),
  },
  halo_v1_masks: { photo: "chelsea.png", block: block(haloVisualizationBlock), params: () => ({ predictions: chelseaMasked() }) },
  halo_v1_boxes: { photo: "coffee.png", block: block(haloVisualizationBlock), params: () => ({ predictions: coffee() }) },
  halo_v2_masks_k15: {
    photo: "chelsea.png",
    block: block(haloVisualizationV2Block),
    params: () => ({ predictions: chelseaMasked(), opacity: 0.6, kernel_size: 15 }),
  },
  crop_default: {
    photo: "coffee.png",
    block: block(cropVisualizationBlock),
    params: () => ({ predictions: detections("coffee.png", COFFEE_BOXES.slice(0, 2), [0, 1]) }),
  },
  crop_center_1_5: {
    photo: "chelsea.png",
    block: block(cropVisualizationBlock),
    params: () => ({ predictions: detections("chelsea.png", [[300.2, 40.7, 347.9, 101.3]], [4]), position: "BOTTOM_RIGHT", scale_factor: 1.5, border_thickness: 3 }),
  },
  grid_enlarged_default: {
    photo: "coffee.png",
    block: block(gridVisualizationBlock),
    params: async () => ({ images: await photos(["coffee.png", "chelsea.png", "coffee.png"]) }),
  },
  grid_shrunk: {
    photo: "coffee.png",
    block: block(gridVisualizationBlock),
    // A Buffer-like list among single images: flattened into the grid.
    params: async () => {
      const [coffeeImage, chelsea] = await photos(["coffee.png", "chelsea.png"]);
      return { images: [coffeeImage, [chelsea, coffeeImage], chelsea], width: 500, height: 300 };
    },
  },
  grid_shrunk_odd: {
    photo: "coffee.png",
    block: block(gridVisualizationBlock),
    params: async () => ({ images: await photos(["chelsea.png", "coffee.png"]), width: 333, height: 201 }),
  },
  grid_halved: {
    photo: "coffee.png",
    block: block(gridVisualizationBlock),
    params: async () => ({ images: await photos(["coffee.png", "coffee.png", "coffee.png", "coffee.png"]), width: 600, height: 400 }),
  },
  // Text in its background's colour: only the layout (the box's place and size) shows.
  text_display_bottom_right: {
    photo: "coffee.png",
    block: block(textDisplayBlock),
    params: () => ({ text: "Detections: {{ $parameters.count }}\nSecond line, longer", text_parameters: { count: 3 }, text_color: "BLACK", text_align: "right", anchor: "bottom_right" }),
  },
  text_display_center_scaled: {
    photo: "coffee.png",
    block: block(textDisplayBlock),
    params: () => ({
      // An unknown parameter stays as written.
      text: "Ag {x}\n\n{{$parameters.where}}",
      text_parameters: { where: ["mid", "dle"] },
      text_parameters_operations: { where: [{ type: "SequenceApply", operations: [{ type: "StringToUpperCase" }] }, { type: "SequenceJoin", separator: "" }, { type: "StringToLowerCase" }] },
      text_color: "#3366cc",
      background_color: "#3366cc",
      font_scale: 1.5,
      font_thickness: 3,
      padding: 6,
      text_align: "center",
      anchor: "center",
      offset_x: -20,
      offset_y: 15,
    }),
  },
  text_display_absolute_clamped: {
    photo: "chelsea.png",
    block: block(textDisplayBlock),
    params: () => ({ text: "Ag \u00e9?", text_color: "WHITE", background_color: "WHITE", position_mode: "absolute", position_x: 430, position_y: 290, font_scale: 0.7, font_thickness: 1 }),
  },
  text_display_blank_blended: {
    photo: "chelsea.png",
    block: block(textDisplayBlock),
    params: () => ({ text: "\n\n", background_color: "rgb(200, 40, 40)", background_opacity: 0.4, anchor: "top_center", padding: 13 }),
  },
  icon_dynamic_center: {
    photo: "coffee.png",
    block: block(iconVisualizationBlock),
    params: async () => ({ icon: await iconImage(), predictions: coffee(), icon_width: 64, icon_height: 48, position: "CENTER" }),
  },
  icon_static_from_right: {
    photo: "chelsea.png",
    block: block(iconVisualizationBlock),
    params: async () => ({ icon: await iconImage(), mode: "static", icon_width: 50, icon_height: 50, x_position: -10, y_position: 20 }),
  },
};

/** The script's 40 x 30 icon as a PNG with transparency, read as an input image is (RGB pixels, the PNG kept as its source). */
async function iconImage(): Promise<WorkflowImage> {
  const rgba = new Uint8Array(40 * 30 * 4);
  for (let y = 0; y < 30; y++) {
    for (let x = 0; x < 40; x++) rgba.set([(x * 6) % 256, (y * 8) % 256, 128, x < 5 ? 0 : Math.min(255, 9 * x + 3 * y)], (y * 40 + x) * 4);
  }
  const png = await sharp(rgba, { raw: { width: 40, height: 30, channels: 4 } }).png().toBuffer();
  const rgb = Uint8Array.from({ length: 40 * 30 * 3 }, (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]!);
  return new WorkflowImage({ data: rgb, width: 40, height: 30, channels: 3 }, inputLineage("icon"), png);
}

function photos(names: readonly Photo[]): Promise<WorkflowImage[]> {
  return Promise.all(names.map(referencePhoto));
}

export async function referencePhoto(photo: Photo): Promise<WorkflowImage> {
  const { data, info } = await sharp(sharedPhoto(photo)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return new WorkflowImage({ data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 }, inputLineage(photo));
}
