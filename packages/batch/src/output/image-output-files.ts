/** The files of an image's image outputs: `<output>.jpg`, nested ones as `<output>/<index>.jpg`. */
import { findImageValues } from "@cvflow/wire";
import { safePath } from "./path-segments.js";

export interface OutputFile {
  /** Relative to the image's folder (`{image}/`). */
  path: string;
  bytes: Uint8Array;
}

/**
 * Every image found in the outputs, however deep: list elements by index, object fields by key
 * (`$steps.x.*` outputs are objects). The engine's serializer writes JPEG, so the bytes are
 * written as they are.
 */
export function imageOutputFiles(outputs: Readonly<Record<string, unknown>>): OutputFile[] {
  return Object.entries(outputs).flatMap(([name, value]) =>
    findImageValues(value, "base64").map((image) => ({ path: imageFilePath([name, ...image.path].join("/")), bytes: Buffer.from(image.value, "base64") })),
  );
}

/** The file of the image at `path` (output name, then indices and keys). */
export function imageFilePath(path: string): string {
  return `${safePath(path)}.jpg`;
}
