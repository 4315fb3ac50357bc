/** `aggregated_results.csv` (RFC 4180): one row per image, `image` first, then every output. */
import { isImageValue, isRecord } from "@cvflow/wire";
import type { ResultDocument } from "./result-document.js";

const CRLF = "\r\n";

/**
 * The header is `image` and the union of the documents' output names, in the order first seen.
 * Strings and numbers are written plain, null and missing outputs as an empty cell, lists and
 * objects as JSON. A saved image is its file's path relative to the output prefix (where the CSV
 * sits: `shelf-1/left/annotated.jpg`); an image not saved was left out of the document, so is empty.
 */
export function csvRows(results: readonly ResultDocument[]): string {
  const names = new Set<string>(); // a Set keeps insertion order: the order first seen
  for (const { outputs } of results) for (const name of Object.keys(outputs)) names.add(name);
  const columns = [...names];
  const rows = [["image", ...columns]];
  for (const result of results) rows.push([result.image, ...columns.map((name) => csvCell(result.outputs[name], result.image))]);
  return rows.map(csvLine).join("");
}

/** One row of cells as a CSV line, CRLF-terminated (cvflow process-video writes its rows with it too). */
export function csvLine(row: readonly string[]): string {
  return row.map(quoted).join(",") + CRLF;
}

/** A value as its cell; a saved image's file path is relative to `image`'s folder. */
export function csvCell(value: unknown, image: string): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (isImageValue(value, "file")) return `${image}/${value.value}`;
  return JSON.stringify(withFilePaths(value, image));
}

/** File references inside lists and objects become their paths too. */
function withFilePaths(value: unknown, image: string): unknown {
  if (isImageValue(value, "file")) return `${image}/${value.value}`;
  if (Array.isArray(value)) return value.map((element) => withFilePaths(element, image));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withFilePaths(inner, image)]));
  return value;
}

/** Quoted when it holds a quote, comma, CR or LF; quotes doubled. */
function quoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
