/**
 * Test helpers for the model blocks: the real models (models/, filled by `npm run models`) and
 * photos (gate a suite on both with `missing()` from @cvflow/vision/test-assets), a VisionModels
 * wrapper that counts calls, and a runner that calls a batch block as the executor does.
 */
import { readFile } from "node:fs/promises";
import type { BatchBlock, BlockOutputs, BlockParams, BlockServices } from "@cvflow/engine";
import { createVisionModels, decodeImage, inputLineage, type VisionModels, type WorkflowImage } from "@cvflow/vision";
import { examplePhoto, MODELS_DIR, sharedPhoto } from "@cvflow/vision/test-assets";

let models: VisionModels | undefined;

/** The real models, built once per test file. */
export function realModels(): VisionModels {
  return (models ??= createVisionModels({ modelsDir: MODELS_DIR }));
}

/** A shared photo (../shared/images) decoded as a run's input image named `id` is. */
export async function photo(name: string, id = "image"): Promise<WorkflowImage> {
  return decodeImage(await readFile(sharedPhoto(name)), inputLineage(id));
}

/** One of the repository's photos (examples/images), decoded likewise. */
export async function example(name: string, id = "image"): Promise<WorkflowImage> {
  return decodeImage(await readFile(examplePhoto(name)), inputLineage(id));
}

export interface CallCounts {
  detect: number;
  segment: number;
  classify: number;
  ocr: number;
}

/** `inner`, counting the model calls made through it. */
export function countingModels(inner: VisionModels): { models: VisionModels; calls: CallCounts } {
  const calls: CallCounts = { detect: 0, segment: 0, classify: 0, ocr: 0 };
  const models: VisionModels = {
    spec: (id) => inner.spec(id),
    list: () => inner.list(),
    detect: (...args) => (calls.detect++, inner.detect(...args)),
    segment: (...args) => (calls.segment++, inner.segment(...args)),
    classify: (...args) => (calls.classify++, inner.classify(...args)),
    ocr: (...args) => (calls.ocr++, inner.ocr(...args)),
  };
  return { models, calls };
}

/** Runs a batch block as the executor would: absent fields take their manifest default. */
export async function runModelBlock<P extends BlockParams>(
  block: BatchBlock<P>,
  params: Partial<P>,
  services: BlockServices = { models: realModels() },
): Promise<BlockOutputs[]> {
  const defaults = Object.fromEntries(Object.entries(block.manifest.fields).map(([name, spec]) => [name, spec.default]));
  const ctx = { signal: new AbortController().signal, step: "model", index: [], services };
  return block.runBatch({ ...defaults, ...params } as P, ctx);
}
