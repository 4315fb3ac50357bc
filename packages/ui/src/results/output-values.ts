/**
 * What a run's output value is, for showing it: an image (`{"type": "base64" | "url", "value"}`),
 * detections (`{"image": {width, height}, "predictions": [...]}`), a batch (a list holding images
 * or detections, shown element by element), an object holding some (a `$steps.x.*` output, shown
 * field by field), or plain JSON. Pure.
 */
import { isImageValue, isRecord } from "@cvflow/wire";

export type ImageValue = Record<string, unknown> & { type: "base64" | "url"; value: string };

export type OutputNode =
  | { kind: "image"; image: ImageValue }
  | { kind: "detections"; detections: Record<string, unknown> }
  | { kind: "batch"; items: OutputNode[] }
  | { kind: "fields"; fields: [string, OutputNode][] }
  | { kind: "json"; value: unknown };

export function isShownImage(value: unknown): value is ImageValue {
  return isImageValue(value, "base64") || isImageValue(value, "url");
}

function isDetectionsValue(value: unknown): value is Record<string, unknown> & { predictions: unknown[]; image: Record<string, unknown> } {
  return isRecord(value) && Array.isArray(value["predictions"]) && isRecord(value["image"]);
}

export function outputNode(value: unknown): OutputNode {
  if (isShownImage(value)) return { kind: "image", image: value };
  if (isDetectionsValue(value)) return { kind: "detections", detections: value };
  if (!holdsPictures(value)) return { kind: "json", value };
  if (Array.isArray(value)) return { kind: "batch", items: value.map(outputNode) };
  return { kind: "fields", fields: Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, outputNode(item)]) };
}

/** Whether an image or detections sit anywhere in `value`. */
function holdsPictures(value: unknown): boolean {
  if (isShownImage(value) || isDetectionsValue(value)) return true;
  if (Array.isArray(value)) return value.some(holdsPictures);
  return isRecord(value) && Object.values(value).some(holdsPictures);
}

/** Every image value in `root` (the inside of an image is not searched), in document order. */
export function imagesIn(root: unknown): ImageValue[] {
  const found: ImageValue[] = [];
  const visit = (value: unknown): void => {
    if (isShownImage(value)) found.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (isRecord(value)) Object.values(value).forEach(visit);
  };
  visit(root);
  return found;
}

/** A run's outputs as RunOutputs takes them: one record per input image (a run's `outputs` list), or one record. */
export function outputRecords(outputs: Record<string, unknown> | unknown[]): Record<string, unknown>[] {
  return Array.isArray(outputs) ? outputs.map((item) => (isRecord(item) ? item : { output: item })) : [outputs];
}
