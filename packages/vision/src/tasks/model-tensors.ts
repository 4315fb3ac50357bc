/**
 * Tensors as plain arrays: what pre-processing hands the model runtime (models/) and what the
 * runtime hands post-processing. Only the runtime knows onnxruntime.
 */

/** A float32 input of a run, [batch, ...] as its dims say. */
export interface ModelInput {
  data: Float32Array;
  dims: readonly number[];
}

/** One output tensor of a run. */
export interface ModelOutput {
  data: Float32Array;
  dims: readonly number[];
}
