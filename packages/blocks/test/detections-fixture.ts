/** Test helpers: detections built from boxes, the context a block's run() receives, a stand-in detector. */
import { defineBlock, Detections, type BitMask, type BlockContext, type BlockParams, type ElementBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { detectionsOnImage } from "../src/common/lineage.js";

export interface DetectionRow {
  box: [number, number, number, number];
  cls: string;
  confidence: number;
  classId?: number;
  id?: string;
  parent?: string | null;
  mask?: BitMask | null;
  data?: Record<string, unknown>;
}

export function makeDetections(rows: readonly DetectionRow[], image = { width: 640, height: 480 }): Detections {
  const withMasks = rows.some((r) => r.mask !== undefined);
  const dataKeys = [...new Set(rows.flatMap((r) => Object.keys(r.data ?? {})))];
  return new Detections({
    image,
    xyxy: rows.flatMap((r) => r.box),
    confidence: rows.map((r) => r.confidence),
    classId: rows.map((r) => r.classId ?? 0),
    className: rows.map((r) => r.cls),
    detectionId: rows.map((r, i) => r.id ?? `det-${i}`),
    parentId: rows.map((r) => (r.parent === undefined ? "image" : r.parent)),
    masks: withMasks ? rows.map((r) => r.mask ?? null) : undefined,
    data: Object.fromEntries(dataKeys.map((k) => [k, rows.map((r) => r.data?.[k] ?? null)])),
  });
}

/** A mask on a `width` x `height` image with the pixels x1..x2, y1..y2 (inclusive) set, stored for them only. */
export function rectMask(width: number, height: number, [x1, y1, x2, y2]: [number, number, number, number]): BitMask {
  const columns = x2 - x1 + 1;
  const rows = y2 - y1 + 1;
  return { width, height, left: x1, top: y1, columns, rows, data: new Uint8Array(columns * rows).fill(1) };
}

export function context(step = "step"): BlockContext {
  return { signal: new AbortController().signal, step, index: [0], services: {} };
}

/** Runs a block as the executor would: absent fields take their manifest default. */
export async function runBlock<P extends BlockParams>(block: ElementBlock<P>, params: Partial<P>): Promise<Record<string, unknown>> {
  const defaults = Object.fromEntries(Object.entries(block.manifest.fields).map(([name, spec]) => [name, spec.default]));
  return (await block.run({ ...defaults, ...params } as P, context())) as Record<string, unknown>;
}

export function boxes(d: Detections): number[][] {
  return Array.from({ length: d.length }, (_, i) => d.box(i));
}

/** Stands in for a detector in a workflow: one 20 x 10 "thing" at (5, 5) in whatever image it is given. */
export const fakeDetector = defineBlock<{ image: WorkflowImage }>({
  manifest: {
    type: "test/fake_detector@v1",
    name: "Fake detector",
    description: "One fixed box per image.",
    family: "models",
    fields: { image: { kinds: ["image"], aliases: ["images"], required: true } },
    outputs: [{ name: "predictions", kinds: ["object_detection_prediction"] }],
  },
  run: ({ image }) => ({ predictions: detectionsOnImage({ xyxy: [5, 5, 25, 15], confidence: [0.9], classId: [0], className: ["thing"] }, image) }),
});
