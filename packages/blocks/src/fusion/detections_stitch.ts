/**
 * Detections Stitch: gathers the predictions made on pieces of an image (slices, crops) back onto
 * that image. Each piece's detections move by the piece's offset in the reference image (their
 * `parent_origin`), masks included; then overlaps are resolved with NMS, NMM or not at all.
 */
import { defineBlock, Detections, type ParentOrigin } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { notOneOf } from "../errors.js";
import { CROP_LINEAGE_KEYS, detectionsOnImage } from "../common/lineage.js";
import { moveDetections } from "./move-detections.js";
import { nonMaxMerge, nonMaxSuppression } from "./overlap-filter.js";

const STRATEGIES = ["none", "nms", "nmm"] as const;
type Strategy = (typeof STRATEGIES)[number];

interface DetectionsStitchParams {
  [key: string]: unknown;
  reference_image: WorkflowImage;
  predictions: readonly (Detections | null)[];
  overlap_filtering_strategy: Strategy;
  iou_threshold: number;
}

export const detectionsStitchBlock = defineBlock<DetectionsStitchParams>({
  manifest: {
    type: "roboflow_core/detections_stitch@v1",
    name: "Detections Stitch",
    description: "Merges detections made against multiple pieces of input image into single detection.",
    family: "fusion",
    fields: {
      reference_image: { description: "The image the pieces were cut from.", kinds: ["image"], required: true },
      predictions: {
        description: "Predictions made on the pieces, one dimension below the reference image.",
        kinds: ["object_detection_prediction", "instance_segmentation_prediction"],
        dimensionOffset: 1,
        required: true,
      },
      overlap_filtering_strategy: {
        description: "none keeps every detection, nms drops the less confident of overlapping ones, nmm merges them.",
        kinds: ["string"],
        schema: { enum: STRATEGIES },
        default: "nms",
      },
      iou_threshold: {
        description: "Overlap (IoU) above which detections of a class count as the same object.",
        kinds: ["float_zero_to_one"],
        schema: { type: "number", minimum: 0, maximum: 1 },
        default: 0.3,
      },
    },
    outputs: [{ name: "predictions", kinds: ["object_detection_prediction", "instance_segmentation_prediction"] }],
  },
  run({ reference_image, predictions, overlap_filtering_strategy, iou_threshold }) {
    if (!STRATEGIES.includes(overlap_filtering_strategy)) {
      throw notOneOf("invalid_overlap_filtering_strategy", "overlap_filtering_strategy", STRATEGIES, overlap_filtering_strategy);
    }
    const size = { width: reference_image.width, height: reference_image.height };
    // Pieces skipped by flow control arrive as null and contribute nothing.
    const moved = predictions.filter((d): d is Detections => d !== null).map((d) => moveOntoReference(d, size));
    const merged = Detections.concat(moved, size);
    const filtered =
      overlap_filtering_strategy === "nms" ? nonMaxSuppression(merged, iou_threshold) : overlap_filtering_strategy === "nmm" ? nonMaxMerge(merged, iou_threshold) : merged;
    // The pieces' lineage columns give way to the reference image's.
    const data = Object.fromEntries(Object.entries(filtered.data).filter(([key]) => !CROP_LINEAGE_KEYS.includes(key)));
    return { predictions: detectionsOnImage({ ...filtered.columns(), data }, reference_image) };
  },
});

/** The detections of one piece in reference-image coordinates, moved by the piece's `parent_origin`. */
function moveOntoReference(d: Detections, size: { width: number; height: number }): Detections {
  const origins = d.data["parent_origin"] as readonly (ParentOrigin | null | undefined)[] | undefined;
  return moveDetections(d, (i) => [origins?.[i]?.offset_x ?? 0, origins?.[i]?.offset_y ?? 0], size);
}
