/** Image outputs as the engine serializes them: `{"type": "base64", "value": "<jpeg>", ...}` (@cvflow/wire's isImageValue tells them). */

export interface WireImage {
  type: "base64";
  value: string;
}

/** A saved image output in a results document: its path relative to the image's folder. */
export interface FileImage {
  type: "file";
  value: string;
}
