/** The files of an image's image outputs: `<output>.jpg`, nested ones as `<output>/<index>.jpg`. */
import { safePath } from "./path-segments.js";
import { isRecord, isWireImage } from "./wire-image.js";

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
  const files: OutputFile[] = [];
  const visit = (value: unknown, path: string): void => {
    if (isWireImage(value)) files.push({ path: imageFilePath(path), bytes: Buffer.from(value.value, "base64") });
    else if (Array.isArray(value)) value.forEach((element, index) => visit(element, `${path}/${index}`));
    else if (isRecord(value)) for (const [key, inner] of Object.entries(value)) visit(inner, `${path}/${key}`);
  };
  for (const [name, value] of Object.entries(outputs)) visit(value, name);
  return files;
}

/** The file of the image at `path` (output name, then indices and keys). */
export function imageFilePath(path: string): string {
  return `${safePath(path)}.jpg`;
}
