/**
 * A run's inputs as its record shows them: one short line per input, never the bytes —
 * `image: base64 image (142 KB)`, `confidence: 0.4`. Images are not decoded for it: the record is
 * written while the run starts, and a run's inputs may be megabytes.
 */
import { isRecord } from "@cvflow/wire";

const MAX_LINE = 120;

export function summarizeInputs(inputs: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, summarize(value)]));
}

function summarize(value: unknown): string {
  if (Array.isArray(value)) return `list of ${value.length}${value.length > 0 ? `: ${summarize(value[0])}${value.length > 1 ? ", ..." : ""}` : ""}`;
  if (isRecord(value) && typeof value["type"] === "string" && typeof value["value"] === "string") {
    const { type, value: text } = value as { type: string; value: string };
    if (type === "base64" || type === "numpy_object") return `${type} image (${kilobytes(Math.floor((text.length * 3) / 4))})`;
    return clip(`${type} image ${text}`);
  }
  if (value instanceof Uint8Array) return `bytes (${kilobytes(value.byteLength)})`;
  return clip(JSON.stringify(value) ?? String(value));
}

function kilobytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} KB`;
}

function clip(text: string): string {
  return text.length <= MAX_LINE ? text : `${text.slice(0, MAX_LINE - 3)}...`;
}
