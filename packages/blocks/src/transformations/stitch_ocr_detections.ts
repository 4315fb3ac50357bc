/**
 * Stitch OCR Detections (v1, v2): the text of OCR detections (a word or character per box, in its
 * class name) put together in reading order (stitch-ocr.ts). A batch block, as Roboflow's: its
 * "auto" reading direction is decided once, from the first image's detections, for every image.
 * v2 adds the otsu and collimate algorithms.
 */
import { defineBlock, type Detections, type Problem } from "@cvflow/engine";
import { detectReadingDirection, READING_DIRECTIONS, stitchByCollimation, stitchByOtsu, stitchByTolerance, type ReadingDirection } from "./stitch-ocr.js";

const ALGORITHMS = ["tolerance", "otsu", "collimate"] as const;

interface StitchOcrParams {
  [key: string]: unknown;
  predictions: Detections[];
  reading_direction: (typeof READING_DIRECTIONS)[number];
  tolerance: number;
  delimiter: string;
  stitching_algorithm: (typeof ALGORITHMS)[number];
  otsu_threshold_multiplier: number;
  collimate_tolerance: number;
}

const PREDICTIONS = {
  description: "OCR detections: each box's class name is the text it holds.",
  kinds: ["object_detection_prediction"],
  required: true,
  batched: true,
} as const;

function readingDirectionField(defaultValue: string | undefined) {
  return {
    description: "left_to_right, right_to_left, vertical_top_to_bottom, vertical_bottom_to_top, or auto (horizontal when the first image's boxes are on average wider than tall).",
    schema: { enum: READING_DIRECTIONS },
    ...(defaultValue === undefined ? { required: true } : { default: defaultValue }),
  };
}

const TOLERANCE = {
  description: "Pixels: boxes whose top edge (left edge when vertical) rounds to one multiple of it form a line.",
  kinds: ["integer"],
  schema: { type: "integer" },
  default: 10,
} as const;

const DELIMITER = { description: "Put between the texts joined (and around the line separator, with the tolerance algorithm).", kinds: ["string"], schema: { type: "string" }, default: "" } as const;

function positiveTolerance(step: Readonly<Record<string, unknown>>): Problem[] {
  const tolerance = step["tolerance"];
  return typeof tolerance === "number" && tolerance <= 0 ? [{ property: "tolerance", message: "Stitch OCR detections block expects `tolerance` to be greater than zero." }] : [];
}

function stitch(params: StitchOcrParams, algorithm: (typeof ALGORITHMS)[number]): { ocr_text: string }[] {
  const { predictions, tolerance, delimiter } = params;
  const direction: ReadingDirection = params.reading_direction === "auto" ? detectReadingDirection(predictions[0]!) : params.reading_direction;
  return predictions.map((d) => {
    switch (algorithm) {
      case "otsu":
        return { ocr_text: stitchByOtsu(d, direction, delimiter, params.otsu_threshold_multiplier) };
      case "collimate":
        return { ocr_text: stitchByCollimation(d, direction, delimiter, params.collimate_tolerance) };
      default:
        return { ocr_text: stitchByTolerance(d, direction, tolerance, delimiter) };
    }
  });
}

export const stitchOcrDetectionsV1Block = defineBlock<StitchOcrParams>({
  manifest: {
    type: "roboflow_core/stitch_ocr_detections@v1",
    name: "Stitch OCR Detections",
    description: "Combine OCR detection results into a coherent text string by organizing detections spatially.",
    family: "transformations",
    fields: { predictions: PREDICTIONS, reading_direction: readingDirectionField(undefined), tolerance: TOLERANCE, delimiter: DELIMITER },
    outputs: [{ name: "ocr_text", kinds: ["string"] }],
  },
  validate: positiveTolerance,
  runBatch: (params) => stitch(params, "tolerance"),
});

export const stitchOcrDetectionsV2Block = defineBlock<StitchOcrParams>({
  manifest: {
    type: "roboflow_core/stitch_ocr_detections@v2",
    name: "Stitch OCR Detections",
    description: "Combine OCR detection results into a coherent text string by organizing detections spatially.",
    family: "transformations",
    fields: {
      stitching_algorithm: {
        description: "tolerance (fixed pixel tolerance for lines), otsu (word gaps told from letter gaps by Otsu's threshold; resolution-invariant), collimate (greedy chains; skewed or curved text).",
        schema: { enum: ALGORITHMS },
        required: true,
      },
      predictions: PREDICTIONS,
      reading_direction: readingDirectionField(undefined),
      tolerance: TOLERANCE,
      delimiter: DELIMITER,
      otsu_threshold_multiplier: {
        description: "Multiplies Otsu's threshold (otsu only): above 1 fewer word breaks, below 1 more.",
        kinds: ["float"],
        schema: { type: "number" },
        default: 1.0,
      },
      collimate_tolerance: {
        description: "Pixels added to half the taller box's height when deciding that a box follows another (collimate only).",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 10,
      },
    },
    outputs: [{ name: "ocr_text", kinds: ["string"] }],
  },
  validate: positiveTolerance,
  runBatch: (params) => stitch(params, params.stitching_algorithm),
});
