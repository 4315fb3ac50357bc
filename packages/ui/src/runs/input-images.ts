/**
 * A run's inputs (GET /runs/{id}/inputs) → the URLs a browser shows its images by, by input name
 * (DOM-free, tested in packages/ui/test): base64 images as data URLs of their sniffed type, URL
 * images (uploads come back presigned) as they are. Of a list of images, the first: the results
 * draw detections over one image per input.
 */
import { base64ToBytes, imageContentType, isImageValue, sniffImageFormat } from "@cvflow/wire";

/** Enough base64 characters to decode every image signature sniffImageFormat knows. */
const SIGNATURE_CHARACTERS = 24;

export function inputImageUrls(inputs: Record<string, unknown>): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [name, given] of Object.entries(inputs)) {
    const value = Array.isArray(given) ? given[0] : given;
    if (isImageValue(value, "url")) urls[name] = value.value;
    else if (isImageValue(value, "base64")) urls[name] = dataUrl(value.value);
  }
  return urls;
}

function dataUrl(base64: string): string {
  // A data URL may carry its own prefix already (the API takes both forms).
  if (base64.startsWith("data:")) return base64;
  let format;
  try {
    format = sniffImageFormat(base64ToBytes(base64.slice(0, SIGNATURE_CHARACTERS)));
  } catch {
    // Not base64 a browser decodes: the run itself refused it; the image simply will not show.
  }
  return `data:${format ? imageContentType(format) : "image/jpeg"};base64,${base64}`;
}
