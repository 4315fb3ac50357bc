/**
 * Every error vision throws: its codes with their HTTP statuses (VISION_ERRORS, whose keys are
 * VisionErrorCode) and one factory per failure. The image loader adds `details.pointer` (where in
 * the request the image was) to whatever the lower layers throw. Model files are named by their
 * names under the models folder, never by a path on the machine. `image_too_large` is the
 * engine's, as the stores refuse an s3 image over the cap too.
 */
import { basename } from "node:path";
import { errorsOf, withArticle, WorkflowError, type ErrorStatuses } from "@cvflow/engine";

export const VISION_ERRORS = {
  invalid_image_input: 400,
  invalid_image: 400,
  unsupported_image_format: 400,
  image_source_disabled: 400,
  file_not_found: 400,
  file_not_allowed: 400,
  url_not_allowed: 400,
  url_fetch_failed: 400,
  s3_fetch_failed: 400,
  unknown_model: 400,
  model_task_mismatch: 400,
  image_too_many_pixels: 413,
  run_too_large: 413,
  invalid_model: 500,
  model_not_installed: 503,
  url_timeout: 504,
} as const satisfies ErrorStatuses;
export type VisionErrorCode = keyof typeof VISION_ERRORS;

const visionError = errorsOf(VISION_ERRORS);

function megapixels(pixels: number): string {
  return (pixels / 1e6).toFixed(1);
}

/** The value is not something an image can be read from (wrong JSON type or shape). */
export function invalidImageInput(message: string, details: Record<string, unknown> = {}): WorkflowError {
  return visionError("invalid_image_input", message, details);
}

/** The bytes claim a supported format but do not decode: corrupt, truncated, empty. */
export function invalidImage(message: string, details: Record<string, unknown> = {}): WorkflowError {
  return visionError("invalid_image", message, details);
}

/** Bytes of no format sharp reads here; `detected` names what they look like, when known. */
export function unsupportedImageFormat(supported: readonly string[], detected?: string): WorkflowError {
  return visionError("unsupported_image_format", `The data is not a JPEG, PNG, WebP, GIF or TIFF image${detected ? ` (it looks like ${detected})` : ""}`, {
    supported,
    ...(detected ? { detected } : {}),
  });
}

/** An image input of a `type` (url, s3, file) this server does not read. */
export function imageSourceDisabled(type: string, message: string): WorkflowError {
  return visionError("image_source_disabled", message, { type });
}

export function fileNotFound(path: string): WorkflowError {
  return visionError("file_not_found", `There is no file "${path}" in the directory image files are read from`, { path });
}

/** `why` finishes the sentence `"<path>" …`. */
export function fileNotAllowed(path: string, why: string): WorkflowError {
  return visionError("file_not_allowed", `"${path}" ${why}`, { path });
}

/** `url` as errors show it (without its query); `details.reason` says which rule refused it. */
export function urlNotAllowed(url: string, why: string, details: Record<string, unknown>): WorkflowError {
  return visionError("url_not_allowed", `${url} may not be fetched: ${why}`, { url, ...details });
}

export function urlFetchFailed(url: string, why: string, details: Record<string, unknown> = {}): WorkflowError {
  return visionError("url_fetch_failed", `Fetching ${url} failed: ${why}`, { url, ...details });
}

/** The fetch's own timeout (`timeoutMs`), or, without one, the run's cancellation or deadline. */
export function urlTimeout(url: string, timeoutMs?: number): WorkflowError {
  return timeoutMs === undefined
    ? visionError("url_timeout", `Fetching ${url} stopped: the run was cancelled or reached its deadline`, { url })
    : visionError("url_timeout", `${url} did not answer within ${timeoutMs} ms`, { url, timeout_ms: timeoutMs });
}

export function s3FetchFailed(bucket: string, key: string, why: string): WorkflowError {
  return visionError("s3_fetch_failed", `Reading s3://${bucket}/${key} failed: ${why}`, { bucket, key });
}

/** An image (an input, or one a step would make) with more pixels than one image may have. */
export function imageTooManyPixels(width: number, height: number, maxPixels: number): WorkflowError {
  return visionError("image_too_many_pixels", `The image is ${width}x${height} (${megapixels(width * height)} megapixels), over the ${megapixels(maxPixels)} megapixel limit`, {
    width,
    height,
    max_pixels: maxPixels,
  });
}

/** The run's images over its megapixel budget, before it starts or while it runs (docs/api.md lists both `details`). */
export function runTooLarge(message: string, details: Record<string, unknown>): WorkflowError {
  return visionError("run_too_large", message, details);
}

export function unknownModel(modelId: string, available: readonly string[], aliases: readonly string[]): WorkflowError {
  return visionError("unknown_model", `Unknown model "${modelId}"; available models: ${available.join(", ")} (aliases: ${aliases.join(", ") || "none"})`, {
    model_id: modelId,
    available,
  });
}

/** `modelId` is a `task` model where `needer` (a block, a method) needs one of `expected`; `available` lists the fitting ones. */
export function modelTaskMismatch(modelId: string, task: string, expected: readonly string[], available: readonly string[], needer: string): WorkflowError {
  return visionError(
    "model_task_mismatch",
    `Model "${modelId}" is ${withArticle(task)} model; ${needer} needs ${expected.join(" or ")} (available: ${available.join(", ") || "none"})`,
    { model_id: modelId, task, expected: [...expected], available: [...available] },
  );
}

/** The registry names no file for one of a model's roles: the installation's fault. */
export function invalidModel(modelId: string, role: string): WorkflowError {
  return visionError("invalid_model", `Model ${modelId} has no "${role}" file in the registry`, { model_id: modelId, role });
}

/** A 503: the request is sound, and the server lacks a file that `npm run models` installs. */
export function modelNotInstalled(what: string, details: Record<string, unknown> = {}): WorkflowError {
  return visionError("model_not_installed", `${what}: the server's models are not installed (run \`npm run models\` there)`, details);
}

/** One file of a model in the registry (an ONNX graph, OCR's keys) absent from the models folder at `path`. */
export function modelFileMissing(path: string): WorkflowError {
  return modelNotInstalled(`Model file ${basename(path)} is missing from the models folder`, { file: basename(path) });
}

/** Re-throws `error` naming where the image was; errors that are not WorkflowErrors (bugs) pass unchanged. */
export function atPointer(error: unknown, pointer: string): unknown {
  if (!(error instanceof WorkflowError) || error.details["pointer"] !== undefined) return error;
  const located = new WorkflowError(error.code, `${error.message} (input ${pointer})`, error.status, { ...error.details, pointer });
  located.cause = error;
  return located;
}
