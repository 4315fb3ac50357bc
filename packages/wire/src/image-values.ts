/**
 * Images in a run's outputs are values `{"type": "base64" | "url" | …, "value": <string>}`, at any
 * depth of lists and objects (`$steps.x.*` outputs are objects). The offload of a large response,
 * the SDK fetching offloaded images back and the batch output files all look for them the same way.
 */

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
    } else if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      if (record["type"] === type && typeof record["value"] === "string") found.push({ holder: record, value: record["value"], path });
      else for (const [key, item] of Object.entries(record)) visit(item, [...path, key]);
    }
  };
  visit(root, []);
  return found;
}
