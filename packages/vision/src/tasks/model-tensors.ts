/**
 * Tensors as plain arrays: what pre-processing hands the model runtime (models/) and what the
 * runtime hands post-processing. Only the runtime knows onnxruntime.
 */

/** A float32 tensor: its values and its dims, batch first. */
export interface FloatTensor {
  data: Float32Array;
  dims: readonly number[];
}

/** The input of a run. */
export type ModelInput = FloatTensor;

/** One output tensor of a run. */
export type ModelOutput = FloatTensor;
