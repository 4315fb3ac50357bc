/**
 * Image Threshold: OpenCV's fixed thresholds (binary, binary_inv, trunc, tozero, tozero_inv),
 * Otsu's, and adaptive ones (mean or Gaussian of an 11×11 neighbourhood, minus 2), on one
 * channel: a colour image is converted to grayscale first.
 */
import { defineBlock } from "@cvflow/engine";
import type { RawPixels, WorkflowImage } from "@cvflow/vision";
import { notOneOf } from "../errors.js";
import { replicate } from "./border.js";
import { boxFilter } from "./box-filter.js";
import { gaussianBlur } from "./gaussian-blur.js";
import { toGray } from "./grayscale.js";

const THRESHOLD_TYPES = ["binary", "binary_inv", "trunc", "tozero", "tozero_inv", "adaptive_mean", "adaptive_gaussian", "otsu"] as const;
type ThresholdType = (typeof THRESHOLD_TYPES)[number];

/** The reference implementation's fixed adaptive parameters. */
const ADAPTIVE_BLOCK = 11;
const ADAPTIVE_C = 2;

interface ThresholdParams {
  [key: string]: unknown;
  image: WorkflowImage;
  threshold_type: ThresholdType;
  thresh_value: number;
  max_value: number;
}

export const thresholdBlock = defineBlock<ThresholdParams>({
  manifest: {
    type: "roboflow_core/threshold@v1",
    name: "Image Threshold",
    description: "Apply a threshold to an image.",
    family: "classical_cv",
    fields: {
      image: { description: "The image to threshold (converted to grayscale if in colour).", kinds: ["image"], aliases: ["images"], required: true },
      threshold_type: {
        description: "How pixels compare with the threshold, as OpenCV's threshold types; adaptive_* and otsu compute the threshold.",
        kinds: ["string"],
        schema: { enum: THRESHOLD_TYPES },
        default: "binary",
      },
      thresh_value: { description: "The threshold (ignored by the adaptive and otsu types).", kinds: ["integer"], schema: { type: "integer" }, required: true },
      max_value: { description: "The value given to pixels that pass (binary, binary_inv, adaptive, otsu).", kinds: ["integer"], schema: { type: "integer" }, default: 255 },
    },
    outputs: [{ name: "image", kinds: ["image"] }],
  },
  run({ image, threshold_type, thresh_value, max_value }) {
    return { image: image.withPixels(threshold(toGray(image.pixels), threshold_type, thresh_value, max_value)) };
  },
});

export function threshold(gray: RawPixels, type: ThresholdType, thresh: number, maxValue: number): RawPixels {
  const max = Math.min(255, Math.max(0, Math.round(maxValue)));
  const src = gray.data;
  const out = new Uint8Array(src.length);
  if (type === "adaptive_mean" || type === "adaptive_gaussian") {
    const mean = (type === "adaptive_mean" ? boxFilter(gray, ADAPTIVE_BLOCK, ADAPTIVE_BLOCK, replicate) : gaussianBlur(gray, ADAPTIVE_BLOCK, replicate)).data;
    for (let i = 0; i < src.length; i++) out[i] = src[i]! - mean[i]! > -ADAPTIVE_C ? max : 0;
    return { ...gray, data: out };
  }
  // 8-bit images compare with the threshold's integer part.
  const t = type === "otsu" ? otsuThreshold(src) : Math.floor(thresh);
  const apply = pointOperation(type, t, max);
  for (let i = 0; i < src.length; i++) out[i] = Math.min(255, Math.max(0, apply(src[i]!)));
  return { ...gray, data: out };
}

function pointOperation(type: ThresholdType, t: number, max: number): (v: number) => number {
  switch (type) {
    case "binary":
    case "otsu":
      return (v) => (v > t ? max : 0);
    case "binary_inv":
      return (v) => (v > t ? 0 : max);
    case "trunc":
      return (v) => (v > t ? t : v);
    case "tozero":
      return (v) => (v > t ? v : 0);
    case "tozero_inv":
      return (v) => (v > t ? 0 : v);
    default:
      throw notOneOf("invalid_threshold_type", "threshold_type", THRESHOLD_TYPES, type);
  }
}

/** Otsu's threshold over the 8-bit histogram, step for step as OpenCV computes it. */
export function otsuThreshold(values: Uint8Array): number {
  const histogram = new Float64Array(256);
  for (const v of values) histogram[v]!++;
  const scale = 1 / values.length;
  let mu = 0;
  for (let i = 0; i < 256; i++) mu += i * histogram[i]!;
  mu *= scale;
  let q1 = 0;
  let mu1 = 0;
  let maxSigma = 0;
  let best = 0;
  const eps = 1.1920928955078125e-7; // FLT_EPSILON
  for (let i = 0; i < 256; i++) {
    const p = histogram[i]! * scale;
    mu1 *= q1;
    q1 += p;
    const q2 = 1 - q1;
    if (Math.min(q1, q2) < eps || Math.max(q1, q2) > 1 - eps) continue;
    mu1 = (mu1 + i * p) / q1;
    const mu2 = (mu - q1 * mu1) / q2;
    const sigma = q1 * q2 * (mu1 - mu2) * (mu1 - mu2);
    if (sigma > maxSigma) {
      maxSigma = sigma;
      best = i;
    }
  }
  return best;
}
