/**
 * The errors of bringing an image in. Each code is stable; the loader adds `details.pointer`
 * (where in the request the image was) to whatever the lower layers throw.
 */
import { WorkflowError } from "@cvflow/engine";

const MiB = 1024 * 1024;

function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`;
}

/** The value is not something an image can be read from (wrong JSON type or shape). */
export function invalidImageInput(message: string, details: Record<string, unknown> = {}): WorkflowError {
  return new WorkflowError("invalid_image_input", message, 400, details);
}

/** The bytes claim a supported format but do not decode: corrupt, truncated, empty. */
export function invalidImage(message: string, details: Record<string, unknown> = {}): WorkflowError {
  return new WorkflowError("invalid_image", message, 400, details);
}

export function imageTooLarge(bytes: number | undefined, maxBytes: number): WorkflowError {
  const size = bytes === undefined ? "larger than" : `${formatBytes(bytes)}, over`;
  return new WorkflowError("image_too_large", `The image is ${size} the ${formatBytes(maxBytes)} limit`, 413, {
    ...(bytes === undefined ? {} : { bytes }),
    maxBytes,
  });
}

/** An image (an input, or one a step would make) with more pixels than one image may have. */
export function imageTooManyPixels(width: number, height: number, maxPixels: number): WorkflowError {
  const megapixels = (pixels: number) => (pixels / 1e6).toFixed(1);
  return new WorkflowError(
    "image_too_many_pixels",
    `The image is ${width}x${height} (${megapixels(width * height)} megapixels), over the ${megapixels(maxPixels)} megapixel limit`,
    413,
    { width, height, maxPixels },
  );
}

/** Re-throws `error` naming where the image was; errors that are not WorkflowErrors (bugs) pass unchanged. */
export function atPointer(error: unknown, pointer: string): unknown {
  if (!(error instanceof WorkflowError) || error.details["pointer"] !== undefined) return error;
  const located = new WorkflowError(error.code, `${error.message} (input ${pointer})`, error.status, { ...error.details, pointer });
  located.cause = error;
  return located;
}
