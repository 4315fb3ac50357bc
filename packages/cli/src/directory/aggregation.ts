/** `aggregated_results.csv|jsonl` over every image finished in the output folder, this run or earlier ones. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { csvRows, jsonlRows, type ResultDocument } from "@cvflow/batch/output";
import { RESULTS_FILE } from "./image-results.js";

export type AggregationFormat = "csv" | "jsonl";

/**
 * Rows in name order, read back from each image's results.json (as a job's finalize does), so a
 * resumed run aggregates what earlier runs did too. Returns the file's name.
 */
export function writeAggregation(outputDirectory: string, names: Iterable<string>, format: AggregationFormat): string {
  const documents: ResultDocument[] = [];
  for (const name of [...names].sort()) {
    const path = join(outputDirectory, name, RESULTS_FILE);
    // Read one after the other: tens of thousands at once would run out of file descriptors.
    if (existsSync(path)) documents.push(JSON.parse(readFileSync(path, "utf8")) as ResultDocument);
  }
  const file = `aggregated_results.${format}`;
  writeFileSync(join(outputDirectory, file), format === "csv" ? csvRows(documents) : jsonlRows(documents));
  return file;
}
