/** Everything the commands print: JSON for machines, short readable text for people. */
import { CvflowError } from "@cvflow/sdk";
import { isImageValue, isRecord } from "@cvflow/wire";
import { summarizeImage } from "./image-summary.js";

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLines(...lines: string[]): void {
  process.stdout.write(lines.map((line) => `${line}\n`).join(""));
}

/** Rows with their columns padded to line up. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join("  ").trimEnd());
}

/** One line per output field, name then value; a value of several lines continues under the first. */
export function outputLines(output: Record<string, unknown>): string[] {
  const width = Math.max(0, ...Object.keys(output).map((name) => name.length));
  return Object.entries(output).flatMap(([name, value]) =>
    readable(value)
      .split("\n")
      .map((line, i) => `${i === 0 ? name.padEnd(width) : " ".repeat(width)}  ${line}`),
  );
}

/**
 * A value as a person reads it: images become "<image/jpeg 768×576 159.9 KiB>", prediction sets
 * "<2 predictions: dog 0.95, bicycle 0.89>"; the rest stays JSON.
 */
export function readable(value: unknown): string {
  const summarized = summarize(value);
  if (typeof summarized === "string") return summarized;
  const compact = JSON.stringify(summarized);
  return compact.length <= 100 ? compact : JSON.stringify(summarized, null, 2);
}

function summarize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(summarize);
  if (typeof value !== "object" || value === null) return value;
  const record = value as Record<string, unknown>;
  if (isImageValue(record, "base64")) return `<${summarizeImage(record.value)}>`;
  if (isImageValue(record, "url")) return `<image at ${record.value}>`;
  if (Array.isArray(record["predictions"]) && isRecord(record["image"])) return `<${summarizePredictions(record["predictions"])}>`;
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, summarize(inner)]));
}

const SHOWN_PREDICTIONS = 10;

function summarizePredictions(predictions: unknown[]): string {
  const shown = predictions.slice(0, SHOWN_PREDICTIONS).map((p) => {
    const prediction = isRecord(p) ? p : {};
    const confidence = typeof prediction["confidence"] === "number" ? ` ${prediction["confidence"].toFixed(2)}` : "";
    return `${String(prediction["class"] ?? "?")}${confidence}`;
  });
  const more = predictions.length > SHOWN_PREDICTIONS ? `, … ${predictions.length - SHOWN_PREDICTIONS} more` : "";
  const noun = predictions.length === 1 ? "prediction" : "predictions";
  return predictions.length === 0 ? "0 predictions" : `${predictions.length} ${noun}: ${shown.join(", ")}${more}`;
}

/** `cvflow: code: message`, then each compile problem with where it is; with --json the API's envelope. */
export function printError(error: CvflowError, json: boolean): void {
  if (json) {
    process.stderr.write(`${JSON.stringify({ error: error.toJSON() }, null, 2)}\n`);
    return;
  }
  const lines = [`cvflow: ${error.code}: ${error.message}`];
  const problems = error.details["errors"];
  if (Array.isArray(problems) && problems.length > 0) {
    for (const problem of problems.filter(isRecord)) {
      const where = [problem["pointer"], problem["step"] && `step ${String(problem["step"])}`].filter(Boolean).join(" ");
      lines.push(`  ${where ? `${String(where)}: ` : ""}${String(problem["message"] ?? problem["code"] ?? "")}`);
    }
  }
  process.stderr.write(lines.map((line) => `${line}\n`).join(""));
}
