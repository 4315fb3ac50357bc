/**
 * Images in a run's outputs are values `{"type": "base64" | "url" | …, "value": <string>}`, at any
 * depth of lists and objects (`$steps.x.*` outputs are objects). The offload of a large response,
 * the SDK fetching offloaded images back, the batch output files and the CLI's summaries all tell
 * them apart the same way.
 */

/** An image value of the given type: `{"type": <type>, "value": <string>, …}`. */
export function isImageValue<T extends string>(value: unknown, type: T): value is Record<string, unknown> & { type: T; value: string } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return record["type"] === type && typeof record["value"] === "string";
}

export interface FoundImage {
  /** The object holding `type` and `value`: replace both there to swap the image in place. */
  holder: Record<string, unknown>;
  value: string;
  /** Keys and list indices from the root to the holder. */
  path: string[];
}

/** Every image value of the given type under `root`; the inside of an image value is not searched. */
export function findImageValues(root: unknown, type: string): FoundImage[] {
  const found: FoundImage[] = [];
  const visit = (value: unknown, path: string[]): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, [...path, String(i)]));
    } else if (isImageValue(value, type)) {
      found.push({ holder: value, value: value.value, path });
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
    }
  };
  visit(root, []);
  return found;
}
