/** `{image}/results.json`: one image's workflow outputs, image outputs replaced by their files or left out. */
import { imageFilePath } from "./image-output-files.js";
import { isImageValue, isRecord } from "@cvflow/wire";
import type { FileImage } from "./wire-image.js";

export interface ResultDocument {
  image: string;
  source: string;
  outputs: Record<string, unknown>;
}

const LEFT_OUT = Symbol("left out");

/**
 * `outputs` is one output object of a serialized run. With `savedImages` every image becomes
 * `{"type": "file", "value": "<output>.jpg"}` (the paths imageOutputFiles writes); without, images
 * are left out: an output or field holding only images (in lists at any depth, some empty)
 * disappears, and an image among other list elements becomes null so that indices keep their meaning.
 */
export function resultDocument(name: string, source: string, outputs: Readonly<Record<string, unknown>>, savedImages: boolean): ResultDocument {
  const replace = (value: unknown, path: string): unknown => {
    if (!savedImages && onlyImages(value)) return LEFT_OUT;
    if (isImageValue(value, "base64")) return { type: "file", value: imageFilePath(path) } satisfies FileImage;
    if (Array.isArray(value)) return value.map((element, index) => replace(element, `${path}/${index}`)).map((element) => (element === LEFT_OUT ? null : element));
    if (isRecord(value)) return fields(value, (key) => `${path}/${key}`);
    return value;
  };
  const fields = (record: Readonly<Record<string, unknown>>, pathOf: (key: string) => string): Record<string, unknown> => {
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      const replaced = replace(value, pathOf(key));
      if (replaced !== LEFT_OUT) kept[key] = replaced;
    }
    return kept;
  };
  return { image: name, source, outputs: fields(outputs, (key) => key) };
}

/** An image, or lists holding at least one image and nothing but images and empty lists. */
function onlyImages(value: unknown): boolean {
  if (isImageValue(value, "base64")) return true;
  return Array.isArray(value) && value.some(onlyImages) && value.every((element) => onlyImages(element) || noElements(element));
}

function noElements(value: unknown): boolean {
  return Array.isArray(value) && value.every(noElements);
}
