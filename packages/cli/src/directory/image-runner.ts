/** A workflow compiled once, run in-process on one image at a time with the local models. */
import type { CompiledWorkflow, WorkflowEngine } from "@cvflow/engine";
import { isRecord, unwrapSpecification } from "@cvflow/wire";
import { asCvflowError, unknownImageInput } from "../errors.js";
import { localEngine } from "../local-engine.js";

const DEFAULT_IMAGE_INPUT = "image";

export interface ImageRunnerOptions {
  /** Default: the core blocks with the local ONNX models (models/registry.json). */
  engine?: WorkflowEngine;
  parameters?: Record<string, unknown>;
  /** The workflow input each image feeds; default "image". */
  imageInput?: string;
  /**
   * Leave out the outputs that are images and nothing else: when they are not saved, encoding
   * them as JPEG would be wasted (a results document leaves them out anyway).
   */
  skipImageOutputs?: boolean;
}

/** One image's outputs, serialized as the API returns them (images as base64 JPEG). */
export type ImageRunner = (bytes: Uint8Array) => Promise<Record<string, unknown>>;

/**
 * Compiles up front, so a broken definition or a wrong --image-input stops everything before any
 * image. The definition may be bare or wrapped as `{"specification": ...}`.
 */
export function imageRunner(definition: Record<string, unknown>, options: ImageRunnerOptions = {}): ImageRunner {
  const engine = options.engine ?? localEngine();
  const imageInput = options.imageInput ?? DEFAULT_IMAGE_INPUT;
  const parameters = options.parameters ?? {};
  const plan = compile(engine, bareDefinition(definition));
  const imageInputs = plan.inputs.filter((input) => input.kinds.includes("image")).map((input) => input.name);
  if (!imageInputs.includes(imageInput)) {
    throw unknownImageInput(imageInput, imageInputs);
  }
  const excludedFields = options.skipImageOutputs ? plan.outputs.filter(({ kinds }) => kinds.length > 0 && kinds.every((kind) => kind === "image")).map(({ name }) => name) : [];
  return async (bytes) => (await engine.run(plan, { ...parameters, [imageInput]: bytes }, { excludedFields })).outputs[0] ?? {};
}

function compile(engine: WorkflowEngine, definition: Record<string, unknown>): CompiledWorkflow {
  try {
    return engine.compile(definition);
  } catch (error) {
    throw asCvflowError(error);
  }
}


/** Compiled bare, so that problems point into the definition itself; a wrapper around a non-object goes whole, for the engine to name. */
function bareDefinition(definition: Record<string, unknown>): Record<string, unknown> {
  const inner = unwrapSpecification(definition).definition;
  return isRecord(inner) ? inner : definition;
}
