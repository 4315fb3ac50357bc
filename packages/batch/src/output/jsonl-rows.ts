/** `aggregated_results.jsonl`: one results document per line. */
import type { ResultDocument } from "./result-document.js";

export function jsonlRows(results: readonly ResultDocument[]): string {
  return results.map((result) => `${JSON.stringify(result)}\n`).join("");
}
