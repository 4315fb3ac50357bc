/**
 * One run of a single-input model, between checks of the signal: where every task's model run
 * (detection, classification, the three of OCR) meets onnxruntime. Pre- and post-processing
 * (tasks/) only see plain arrays.
 */
import { Tensor, type InferenceSession } from "onnxruntime-node";
import type { ModelInput, ModelOutput } from "../tasks/model-tensors.js";

/** The outputs in the model's order. */
export async function runSession(session: InferenceSession, input: ModelInput, signal?: AbortSignal): Promise<ModelOutput[]> {
  signal?.throwIfAborted();
  const results = await session.run({ [session.inputNames[0]!]: new Tensor("float32", input.data, input.dims) });
  signal?.throwIfAborted();
  return session.outputNames.map((name) => ({ data: results[name]!.data as Float32Array, dims: results[name]!.dims }));
}
