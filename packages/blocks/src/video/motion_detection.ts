/**
 * Motion Detection: regions where a frame departs from its video's learned background
 * (background-model.ts), opened with an elliptical element to drop noise, as outer contours of
 * at least `minimum_contour_area`, simplified to 1% of their perimeter. `alarm` is true on the
 * frame motion starts. Until `history` frames were seen, `suppress_first_detections` reports none.
 * A `detection_zone` keeps only the mask inside the zone before contours are found (Roboflow clips
 * the contours to the zone as polygons after the area filter: a region straddling the zone's
 * edge is measured here by its part inside).
 */
import { defineBlock, Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { findExternalContours, type Point } from "../classical_cv/find-contours.js";
import { detectionsOnImage } from "../common/lineage.js";
import { invalidField } from "../errors.js";
import { filledPolygon } from "../visualizations/draw/shapes.js";
import { applyBackground, emptyBackground, type BackgroundModel } from "./background-model.js";
import { open } from "./morphology.js";
import { boundingBox, closedPerimeter, contourArea, simplifyClosed } from "./polygons.js";
import { stepState, videoOf } from "./step-state.js";

interface MotionDetectionParams {
  [key: string]: unknown;
  image: WorkflowImage;
  minimum_contour_area: number;
  morphological_kernel_size: number;
  threshold: number;
  history: number;
  detection_zone: unknown;
  suppress_first_detections: boolean;
}

interface MotionState {
  background: BackgroundModel;
  /** Frames seen while the first detections are suppressed. */
  suppressed: number;
  lastMotion: boolean;
}

const positiveInteger = { type: "integer", minimum: 1 } as const;

export const motionDetectionBlock = defineBlock<MotionDetectionParams>({
  manifest: {
    type: "roboflow_core/motion_detection@v1",
    name: "Motion Detection",
    description: "Detect motion in a video by background subtraction.",
    family: "classical_cv",
    stateful: true,
    fields: {
      image: { description: "The frame.", kinds: ["image"], aliases: ["images"], required: true },
      minimum_contour_area: { description: "Smallest area (pixels) of a motion region.", schema: positiveInteger, kinds: ["integer"], default: 200 },
      morphological_kernel_size: { description: "Size of the elliptical element that removes noise.", schema: positiveInteger, kinds: ["integer"], default: 3 },
      threshold: { description: "Squared colour distance, in variances, beyond which a pixel moves.", schema: positiveInteger, kinds: ["integer"], default: 16 },
      history: { description: "Frames the background model remembers.", schema: positiveInteger, kinds: ["integer"], default: 30 },
      detection_zone: {
        description: "A polygon ([[x, y], ...], or its JSON text) outside which motion is ignored.",
        kinds: ["zone", "list_of_values"],
        default: null,
      },
      suppress_first_detections: { description: "Report no motion until `history` frames were seen.", schema: { type: "boolean" }, kinds: ["boolean"], default: true },
    },
    outputs: [
      { name: "motion", kinds: ["boolean"], description: "Whether there is motion in this frame." },
      { name: "alarm", kinds: ["boolean"], description: "True on the frame motion starts." },
      { name: "detections", kinds: ["object_detection_prediction"], description: "The motion regions' boxes, class 'motion'." },
      { name: "motion_zones", kinds: ["list_of_values"], description: "The motion regions' polygons." },
    ],
  },
  run(params, ctx) {
    const { image } = params;
    const state = stepState<MotionState>(ctx, videoOf(image), () => ({ background: emptyBackground(), suppressed: 0, lastMotion: false }));
    const zone = readZone(params.detection_zone);
    const foreground = applyBackground(state.background, image.pixels, params.threshold, params.history);
    if (params.suppress_first_detections && state.suppressed < params.history) {
      state.suppressed += 1;
      return { motion: false, alarm: false, detections: Detections.empty({ width: image.width, height: image.height }), motion_zones: [] };
    }
    const mask = open(foreground, image.width, image.height, params.morphological_kernel_size);
    if (zone) keepInside(mask, image.width, zone);
    const regions = findExternalContours(mask, image.width, image.height).contours.filter(
      (c) => c.length > 2 && contourArea(c) > params.minimum_contour_area,
    );
    const polygons = regions.map((c) => simplifyClosed(c, 0.01 * closedPerimeter(c))).filter((p) => p.length >= 3);
    const motion = regions.length > 0;
    const alarm = motion && !state.lastMotion;
    state.lastMotion = motion;
    const detections = detectionsOnImage(
      {
        xyxy: polygons.flatMap(boundingBox),
        confidence: polygons.map(() => 1),
        classId: polygons.map(() => 0),
        className: polygons.map(() => "motion"),
      },
      image,
    );
    return { motion, alarm, detections, motion_zones: polygons };
  },
});

function readZone(value: unknown): Point[] | null {
  let zone = value;
  if (typeof zone === "string") {
    try {
      zone = JSON.parse(zone);
    } catch {
      throw invalidField("detection_zone: could not parse the detection zone as JSON");
    }
  }
  if (zone === null || zone === undefined || (Array.isArray(zone) && zone.length === 0)) return null;
  if (!Array.isArray(zone) || !zone.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === "number"))) {
    throw invalidField("detection_zone must be a list of [x, y] points");
  }
  return zone as Point[];
}

/** Clears the mask outside the zone polygon (its outline counts as inside). */
function keepInside(mask: Uint8Array, width: number, zone: readonly Point[]): void {
  const inside = new Uint8Array(mask.length);
  filledPolygon((y, x0, x1) => {
    if (y < 0 || y >= mask.length / width) return;
    inside.fill(1, y * width + Math.max(0, x0), y * width + Math.min(width - 1, x1) + 1);
  }, zone);
  for (let p = 0; p < mask.length; p++) if (!inside[p]) mask[p] = 0;
}
