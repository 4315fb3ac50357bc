/** Image outputs as the engine serializes them: `{"type": "base64", "value": "<jpeg>", ...}`. */

export interface WireImage {
  type: "base64";
  value: string;
}

/** A saved image output in a results document: its path relative to the image's folder. */
export interface FileImage {
  type: "file";
  value: string;
}

export function isWireImage(value: unknown): value is WireImage {
  return isRecord(value) && value["type"] === "base64" && typeof value["value"] === "string";
}

export function isFileImage(value: unknown): value is FileImage {
  return isRecord(value) && value["type"] === "file" && typeof value["value"] === "string";
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
