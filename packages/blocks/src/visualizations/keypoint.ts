/**
 * Keypoint Visualization: a keypoint detection's skeleton (edges), its keypoints as dots
 * (vertex), or as labelled dots (vertex_label), in one colour.
 *
 * Keypoints are placed by their class id (their number in the model's skeleton), which is their
 * position in the list Roboflow's annotators index when none was dropped for low confidence; a
 * list whose class ids are not distinct small numbers is taken in its own order.
 */
import { defineBlock, type Detections, type Keypoint } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { paintFor, painter, type Canvas, type Paint } from "./draw/canvas.js";
import { parseColor } from "./draw/color-parsing.js";
import { roundedBox } from "./draw/label-box.js";
import { disc, line, type SpanSink } from "./draw/shapes.js";
import { SKELETONS_BY_VERTEX_COUNT } from "./draw/skeletons.js";
import { drawText, renderText, textHeight } from "./draw/text.js";
import { annotated, copyImageField, drawingSurface, IMAGE_OUTPUTS, imageField, predictionsField } from "./common/visualization-fields.js";

interface KeypointParams {
  [key: string]: unknown;
  image: WorkflowImage;
  predictions: Detections;
  copy_image: boolean;
  annotator_type: "edge" | "vertex" | "vertex_label";
  color: string;
  text_color: string;
  text_scale: number;
  text_thickness: number;
  text_padding: number;
  thickness: number;
  radius: number;
  edges: readonly (readonly number[])[] | null;
}

export const keypointVisualizationBlock = defineBlock<KeypointParams>({
  manifest: {
    type: "roboflow_core/keypoint_visualization@v1",
    aliases: ["KeypointVisualization"],
    name: "Keypoint Visualization",
    description: "Draw keypoints on detected objects in an image.",
    family: "visualizations",
    fields: {
      image: imageField,
      copy_image: copyImageField,
      predictions: predictionsField(["keypoint_detection_prediction"], "Keypoint detection predictions."),
      annotator_type: {
        description: "edge: lines between keypoints (the skeleton); vertex: a dot on each keypoint; vertex_label: a labelled dot on each.",
        schema: { enum: ["edge", "vertex", "vertex_label"] },
        default: "edge",
      },
      color: {
        description: "Color of the edges, dots or label boxes.",
        kinds: ["string"],
        schema: { type: "string" },
        default: "#A351FB",
      },
      text_color: {
        description: "Color of the labels' text (vertex_label).",
        kinds: ["string"],
        schema: { type: "string" },
        default: "black",
      },
      text_scale: {
        description: "Scale of the labels' text (vertex_label).",
        kinds: ["float"],
        schema: { type: "number" },
        default: 0.5,
      },
      text_thickness: {
        description: "Thickness of the labels' text (vertex_label).",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 1,
      },
      text_padding: {
        description: "Padding around the labels' text in pixels (vertex_label).",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 10,
      },
      thickness: {
        description: "Thickness of the edges in pixels (edge).",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 2,
      },
      radius: {
        description: "Radius of the dots (vertex), or the corner radius of the label boxes (vertex_label), in pixels.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 10,
      },
      edges: {
        description: "Pairs of 1-based keypoint numbers to join (edge); by default the skeleton known for the keypoint count (COCO's 17, GHUM's 33).",
        kinds: ["list_of_values"],
        schema: { type: ["array", "null"], items: { type: "array", items: { type: "integer" } } },
        default: null,
      },
    },
    outputs: IMAGE_OUTPUTS,
  },
  async run(params) {
    const { image, predictions } = params;
    const pixels = drawingSurface(image, params.copy_image);
    const paint = paintFor(pixels, parseColor(params.color));
    const sink = painter(pixels, paint);
    const skeletons = Array.from({ length: predictions.length }, (_, i) => byClassId(predictions.keypoints?.[i] ?? []));
    if (params.annotator_type === "edge") drawEdges(sink, skeletons, params.edges, params.thickness);
    else if (params.annotator_type === "vertex") {
      for (const point of skeletons.flat()) if (point) disc(sink, Math.trunc(point.x), Math.trunc(point.y), params.radius);
    } else await drawVertexLabels(pixels, skeletons, paint, paintFor(pixels, parseColor(params.text_color)), params);
    return annotated(image, pixels);
  },
});

/** A detection's keypoints at the index of their class id, with gaps where a keypoint is missing. */
function byClassId(keypoints: readonly Keypoint[]): (Keypoint | undefined)[] {
  const ids = keypoints.map((k) => k.classId);
  const usable = new Set(ids).size === ids.length && ids.every((id) => Number.isInteger(id) && id >= 0 && id < 4096);
  if (!usable) return [...keypoints];
  const placed = new Array<Keypoint | undefined>(Math.max(-1, ...ids) + 1).fill(undefined);
  for (const k of keypoints) placed[k.classId] = k;
  return placed;
}

/**
 * sv.EdgeAnnotator: the given edges, or the skeleton known for the keypoint count; edges
 * touching a missing keypoint or one at (0, 0) are skipped. Like supervision, it stops at the
 * first detection whose count has no skeleton.
 */
function drawEdges(sink: SpanSink, skeletons: readonly (Keypoint | undefined)[][], edges: KeypointParams["edges"], thickness: number): void {
  for (const points of skeletons) {
    const pairs = edges && edges.length > 0 ? edges : SKELETONS_BY_VERTEX_COUNT.get(points.length);
    if (!pairs) return;
    for (const [a = 0, b = 0] of pairs) {
      const from = at(points, a - 1);
      const to = at(points, b - 1);
      if (!from || !to || isOrigin(from) || isOrigin(to)) continue;
      line(sink, from.x, from.y, to.x, to.y, thickness);
    }
  }
}

/** Python indexing: -1 is the last keypoint (an edge numbered 0 lands there, as in Roboflow). */
function at<T>(items: readonly T[], index: number): T | undefined {
  return items[index < 0 ? items.length + index : index];
}

function isOrigin(k: Keypoint): boolean {
  return Math.abs(k.x) <= 1e-8 && Math.abs(k.y) <= 1e-8;
}

/**
 * sv.VertexLabelAnnotator: each keypoint's number, centred on it in a rounded box (corner
 * radius `radius`) `text_padding` wider than the text; keypoints on row or column 0 are skipped.
 */
async function drawVertexLabels(
  canvas: Canvas,
  skeletons: readonly (Keypoint | undefined)[][],
  background: Paint,
  ink: Paint,
  params: KeypointParams,
): Promise<void> {
  const { text_scale: scale, text_thickness: thickness, text_padding: padding } = params;
  const h = textHeight(scale, thickness);
  for (const points of skeletons) {
    for (let id = 0; id < points.length; id++) {
      const point = points[id];
      if (!point) continue;
      const x = Math.trunc(point.x);
      const y = Math.trunc(point.y);
      if (x === 0 || y === 0) continue;
      const text = await renderText(String(id), scale, thickness);
      const left = x - Math.floor(text.width / 2);
      const top = y - Math.floor(h / 2);
      const box = [left - padding, top - padding, x + Math.floor(text.width / 2) + padding, y + Math.floor(h / 2) + padding] as const;
      roundedBox(painter(canvas, background), box, params.radius);
      // supervision puts the baseline `padding` below the unpadded box's top.
      drawText(canvas, text, left, top + padding, ink);
    }
  }
}
