/**
 * What the VLM-as-classifier and VLM-as-detector formatters share: the JSON a language model wrote
 * — inside the first ```json fence when there is one, else the whole text — and the class index
 * (a class's id is its position in `classes`; a name outside it gets -1).
 */
const JSON_FENCE = /```json([\s\S]*?)```/i;

/** The parsed JSON, or undefined when the text (or its first fence) is not JSON. */
export function parseVlmJson(text: string): unknown {
  try {
    return JSON.parse(JSON_FENCE.exec(text)?.[1] ?? text) as unknown;
  } catch {
    return undefined;
  }
}

export function classIndex(classes: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  // A repeated name keeps its last position, as a Python dict built in order does.
  classes.forEach((name, i) => index.set(name, i));
  return index;
}

/** A model's confidence clamped to [0, 1]; what Python's float() refuses throws. */
export function scaleConfidence(value: unknown): number {
  const x = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (Number.isNaN(x)) throw new TypeError(`confidence ${JSON.stringify(value)} is not a number`);
  return Math.min(Math.max(x, 0), 1);
}
