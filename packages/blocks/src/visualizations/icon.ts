/**
 * Icon Visualization: an icon image pasted on the image — on every detection at its anchor point
 * (dynamic), or once at x_position, y_position (static; negative values count from the right or
 * bottom edge) — blended by the icon's own transparency where its source bytes carry an alpha
 * channel (a PNG), else opaque. The icon is fitted into icon_width x icon_height keeping its
 * aspect ratio (cv2.resize, linear) and centred in that box, the rest of the box transparent
 * (supervision's IconAnnotator with letterbox_image).
 */
import { defineBlock, DETECTION_KINDS, isSelectorLike, type Detections, type Problem } from "@cvflow/engine";
import { imageAlpha, type RawPixels, type WorkflowImage } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { anchorPoint, POSITIONS } from "./draw/anchors.js";
import { resizeLinear } from "./draw/resize-linear.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField } from "./common/visualization-fields.js";

interface IconParams {
  [key: string]: unknown;
  image: WorkflowImage;
  copy_image: boolean;
  icon: WorkflowImage;
  mode: string;
  predictions: Detections | null;
  icon_width: number;
  icon_height: number;
  position: string;
  x_position: number;
  y_position: number;
}

/** Pixels with an opacity byte after each of their `colors` (RGBA, or gray + alpha). */
interface Rgba {
  width: number;
  height: number;
  colors: number;
  data: Uint8Array;
}

export const iconVisualizationBlock = defineBlock<IconParams>({
  manifest: {
    type: "roboflow_core/icon_visualization@v1",
    aliases: ["IconVisualization"],
    name: "Icon Visualization",
    description: "Draw icons on an image either at specific static coordinates or dynamically based on detections.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      icon: { description: "The icon to place; a PNG with transparency blends with what is under it.", kinds: ["image"], required: true },
      mode: {
        description: "static: one icon at x_position, y_position; dynamic: one on each detection of `predictions`.",
        kinds: ["string"],
        schema: { enum: ["static", "dynamic"] },
        default: "dynamic",
      },
      predictions: { description: "Detections to place icons on (dynamic mode).", kinds: DETECTION_KINDS, default: null },
      icon_width: { description: "Width of the box the icon is fitted into, in pixels.", kinds: ["integer"], schema: { type: "integer", minimum: 1 }, default: 64 },
      icon_height: { description: "Height of the box the icon is fitted into, in pixels.", kinds: ["integer"], schema: { type: "integer", minimum: 1 }, default: 64 },
      position: {
        description: "Anchor on each detection the icon's centre goes to (dynamic mode).",
        kinds: ["string"],
        schema: { enum: POSITIONS },
        default: "TOP_CENTER",
      },
      x_position: {
        description: "Left edge of the icon in pixels (static mode); negative: its right edge that many pixels from the image's right edge.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 10,
      },
      y_position: {
        description: "Top edge of the icon in pixels (static mode); negative: its bottom edge that many pixels from the image's bottom edge.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 10,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  validate: requirePredictionsWhenDynamic,
  async run(params) {
    const { image, icon_width: width, icon_height: height } = params;
    const pixels = drawingSurface(image, params.copy_image);
    const centres = iconCentres(params, pixels);
    if (centres.length === 0) return annotated(image, pixels);
    const icon = letterbox(withAlpha(params.icon.pixels, await imageAlpha(params.icon)), width, height);
    for (const [cx, cy] of centres) paste(pixels, icon, Math.trunc(cx - icon.width / 2), Math.trunc(cy - icon.height / 2));
    return annotated(image, pixels);
  },
});

/** Roboflow refuses a dynamic icon step without predictions when it is defined. */
function requirePredictionsWhenDynamic(step: Readonly<Record<string, unknown>>): Problem[] {
  const mode = step["mode"] ?? "dynamic";
  if (mode !== "dynamic" || isSelectorLike(mode) || step["predictions"] != null) return [];
  return [{ code: "invalid_field", property: "predictions", message: "The 'predictions' field is required for dynamic mode" }];
}

/** Where the icon's centre goes: each detection's anchor, or the static place's centre (as Roboflow's one-pixel stand-in detection). */
function iconCentres(params: IconParams, canvas: RawPixels): [number, number][] {
  const { mode, predictions, icon_width: w, icon_height: h } = params;
  if (mode === "static") {
    const left = params.x_position < 0 ? canvas.width + params.x_position - w : params.x_position;
    const top = params.y_position < 0 ? canvas.height + params.y_position - h : params.y_position;
    return [[left + Math.floor(w / 2), top + Math.floor(h / 2)]];
  }
  if (mode !== "dynamic") throw invalidField(`mode must be "static" or "dynamic", got ${JSON.stringify(mode)}`);
  if (!predictions) return [];
  return Array.from({ length: predictions.length }, (_, i) => {
    const [x, y] = anchorPoint(predictions, i, params.position);
    return [Math.trunc(x), Math.trunc(y)];
  });
}

/** The icon's colours with their opacity: the source's alpha, or opaque. */
function withAlpha(pixels: RawPixels, alpha: Uint8Array | null): Rgba {
  const { width, height, channels } = pixels;
  const data = new Uint8Array(width * height * (channels + 1));
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < channels; c++) data[p * (channels + 1) + c] = pixels.data[p * channels + c]!;
    data[p * (channels + 1) + channels] = alpha ? alpha[p]! : 255;
  }
  return { width, height, colors: channels, data };
}

/** sv.letterbox_image: resized to fit width x height with its aspect ratio, centred, the margins transparent black. */
function letterbox(icon: Rgba, width: number, height: number): Rgba {
  const ratio = icon.width / icon.height;
  const [w, h] = ratio >= width / height ? [width, Math.trunc(width / ratio)] : [Math.trunc(height * ratio), height];
  const stride = icon.colors + 1;
  const out = new Uint8Array(width * height * stride);
  if (w > 0 && h > 0) {
    const resized = resizeLinear({ width: icon.width, height: icon.height, channels: stride, data: icon.data }, w, h);
    const [top, left] = [Math.floor((height - h) / 2), Math.floor((width - w) / 2)];
    for (let y = 0; y < h; y++) out.set(resized.data.subarray(y * w * stride, (y + 1) * w * stride), ((top + y) * width + left) * stride);
  }
  return { width, height, colors: icon.colors, data: out };
}

/** sv.overlay_image with an alpha channel: pixel * (1 - a) + colour * a, a = alpha / 255, truncated; clipped to the image. */
function paste(canvas: RawPixels, icon: Rgba, x: number, y: number): void {
  const stride = icon.colors + 1;
  for (let r = Math.max(0, -y); r < icon.height && y + r < canvas.height; r++) {
    for (let c = Math.max(0, -x); c < icon.width && x + c < canvas.width; c++) {
      const from = (r * icon.width + c) * stride;
      const a = icon.data[from + icon.colors]! / 255;
      const to = ((y + r) * canvas.width + x + c) * canvas.channels;
      for (let k = 0; k < canvas.channels; k++) {
        const color = icon.colors === canvas.channels ? icon.data[from + k]! : iconLuma(icon, from);
        canvas.data[to + k] = Math.trunc(canvas.data[to + k]! * (1 - a) + color * a);
      }
    }
  }
}

/** A colour icon on a one-channel image: its BT.601 luma (as paintFor); a gray icon on a colour image: its gray. */
function iconLuma(icon: Rgba, from: number): number {
  if (icon.colors === 1) return icon.data[from]!;
  return Math.round(0.299 * icon.data[from]! + 0.587 * icon.data[from + 1]! + 0.114 * icon.data[from + 2]!);
}
