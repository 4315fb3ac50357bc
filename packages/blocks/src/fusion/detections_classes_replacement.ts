/**
 * Detections Classes Replacement: gives each detection the class a classifier predicted for its
 * crop. Classifications are linked to detections by their `parent_id` (the detection id of the
 * crop); detections left without a class are dropped.
 */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";
import { invalidClassification } from "../errors.js";

/**
 * The class id used with `fallback_class_name` when `fallback_class_id` is absent or negative.
 * The reference uses the platform's largest integer; ours is the largest a class-id column holds.
 */
const UNKNOWN_CLASS_ID = 2 ** 31 - 1;

interface DetectionsClassesReplacementParams {
  [key: string]: unknown;
  object_detection_predictions: Detections | null;
  /** One classification (wire format) per detection's crop; null where the crop was skipped. */
  classification_predictions: (Record<string, unknown> | null)[] | null;
  fallback_class_name: string | null;
  fallback_class_id: number | null;
}

interface LeadingClass {
  name: string;
  id: number;
  confidence: number;
}

type Classification = Record<string, unknown>;

/** A classification that carries a class: single-label with a non-empty `top`, or multi-label. */
function hasClass(c: Classification | null): boolean {
  if (c === null || !("predictions" in c)) return false;
  return !("top" in c) || Boolean(c["top"]);
}

function leadingClass(c: Classification, fallbackName: string | null, fallbackId: number | null): LeadingClass | undefined {
  if ("top" in c) {
    const predictions = Array.isArray(c["predictions"]) ? (c["predictions"] as Record<string, unknown>[]) : [];
    if (predictions.length === 0) {
      if (!fallbackName) return undefined;
      const id = typeof fallbackId === "number" && fallbackId >= 0 ? fallbackId : UNKNOWN_CLASS_ID;
      return { name: fallbackName, id, confidence: 0 };
    }
    const matching = predictions.filter((p) => p["class"] === c["top"]);
    const top = matching[0];
    if (matching.length !== 1 || !top) {
      throw invalidClassification(`Could not resolve the class id of top class ${JSON.stringify(c["top"])}`);
    }
    return { name: String(top["class"]), id: Number(top["class_id"]), confidence: Number(top["confidence"]) };
  }
  // Multi-label: the most confident of all scored classes, once anything was predicted at all.
  const predicted = c["predicted_classes"];
  if (!Array.isArray(predicted) || predicted.length === 0) return undefined;
  let best: LeadingClass | undefined;
  for (const [name, details] of Object.entries((c["predictions"] ?? {}) as Record<string, Record<string, unknown>>)) {
    const confidence = Number(details["confidence"]);
    if (!best || confidence > best.confidence) best = { name, id: Number(details["class_id"]), confidence };
  }
  return best;
}

export const detectionsClassesReplacementBlock = defineBlock<DetectionsClassesReplacementParams>({
  manifest: {
    type: "roboflow_core/detections_classes_replacement@v1",
    aliases: ["DetectionsClassesReplacement"],
    name: "Detections Classes Replacement",
    description: "Replace classes of detections with classes predicted by a chained classification model.",
    family: "fusion",
    acceptsEmpty: true,
    fields: {
      object_detection_predictions: {
        description: "Detections whose classes are replaced.",
        kinds: DETECTION_KINDS,
        required: true,
      },
      classification_predictions: {
        description: "Classifications of the detections' crops, one dimension below the detections.",
        kinds: ["classification_prediction"],
        dimensionOffset: 1,
        required: true,
      },
      fallback_class_name: {
        description: "Class given to a detection whose single-label classification predicted nothing; without it such detections are dropped.",
        kinds: ["string"],
        schema: { type: ["string", "null"] },
        default: null,
      },
      fallback_class_id: {
        description: "Class id going with `fallback_class_name`; absent or negative: the largest class id.",
        kinds: ["integer"],
        schema: { type: ["integer", "null"] },
        default: null,
      },
    },
    outputs: [{ name: "predictions", kinds: DETECTION_KINDS }],
  },
  run({ object_detection_predictions: detections, classification_predictions: classifications, fallback_class_name, fallback_class_id }) {
    if (detections === null) return { predictions: null };
    // As in the reference, the fallback class applies only while some crop was classified at all.
    if (!classifications || !classifications.some(hasClass)) return { predictions: detections.select([]) };
    const byDetection = new Map<unknown, LeadingClass | undefined>();
    for (const c of classifications) {
      if (c !== null) byDetection.set(c["parent_id"], leadingClass(c, fallback_class_name, fallback_class_id));
    }
    const kept: number[] = [];
    const classes: LeadingClass[] = [];
    detections.detectionId.forEach((id, i) => {
      const leading = byDetection.get(id);
      if (leading) {
        kept.push(i);
        classes.push(leading);
      }
    });
    return {
      predictions: detections.select(kept).with({
        className: classes.map((c) => c.name),
        classId: classes.map((c) => c.id),
        confidence: classes.map((c) => c.confidence),
        detectionId: classes.map(() => crypto.randomUUID()),
      }),
    };
  },
});
