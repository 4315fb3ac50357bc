/**
 * Detections Stitch: gathers the predictions made on pieces of an image (slices, crops) back onto
 * that image. Each piece's detections move by the piece's offset in the reference image (their
 * `parent_origin`), masks included; then overlaps are resolved with NMS, NMM or not at all.
 */
import { defineBlock, Detections, type ParentOrigin } from "@cvflow/engine";
import { moveMask, type WorkflowImage } from "@cvflow/vision";
import { notOneOf } from "../errors.js";
import { detectionsOnImage } from "../common/lineage.js";
import { nonMaxMerge, nonMaxSuppression } from "./overlap-filter.js";

const STRATEGIES = ["none", "nms", "nmm"] as const;
type Strategy = (typeof STRATEGIES)[number];

/** Lineage columns of the pieces; the stitched detections get the reference image's instead. */
const LINEAGE_KEYS = ["parent_origin", "root_parent_id", "root_parent_origin"];

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
    const data = Object.fromEntries(Object.entries(filtered.data).filter(([key]) => !LINEAGE_KEYS.includes(key)));
    return { predictions: detectionsOnImage({ ...filtered.columns(), data }, reference_image) };
  },
});

/** The detections of one piece in reference-image coordinates; masks keep their bytes, moved by the piece's offset. */
function moveOntoReference(d: Detections, size: { width: number; height: number }): Detections {
  const origins = d.data["parent_origin"] as readonly (ParentOrigin | null | undefined)[] | undefined;
  const offset = (i: number): [number, number] => [origins?.[i]?.offset_x ?? 0, origins?.[i]?.offset_y ?? 0];
  const xyxy = new Float64Array(d.xyxy.length);
  for (let i = 0; i < d.length; i++) {
    const [dx, dy] = offset(i);
    const [x1, y1, x2, y2] = d.box(i);
    xyxy.set([x1 + dx, y1 + dy, x2 + dx, y2 + dy], i * 4);
  }
  const data: Record<string, readonly unknown[]> = { ...d.data };
  const points = data["points"];
  if (points) {
    data["points"] = points.map((p, i) => {
      const [dx, dy] = offset(i);
      return Array.isArray(p) ? (p as { x: number; y: number }[]).map((q) => ({ ...q, x: q.x + dx, y: q.y + dy })) : p;
    });
  }
  return d.with({
    image: size,
    xyxy,
    masks: d.masks?.map((m, i) => (m ? moveMask(m, ...offset(i), size) : null)),
    keypoints: d.keypoints?.map((kps, i) => {
      const [dx, dy] = offset(i);
      return kps ? kps.map((k) => ({ ...k, x: k.x + dx, y: k.y + dy })) : null;
    }),
    data,
  });
}
