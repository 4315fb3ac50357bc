/**
 * CSV Formatter: one CSV row per batch element from `columns_data` (through `columns_operations`),
 * plus a `timestamp` column. As in Roboflow, the whole document is the output of the batch's
 * last element; the other elements output null. Values are written as pandas' `to_csv` writes
 * them: Python's str(), empty for None, and a numeric column with a gap or a fraction as floats.
 */
import { defineBlock, type Problem } from "@cvflow/engine";
import { floatRepr, isPythonInt } from "../common/python-numbers.js";
import { pyStr } from "../uql/python-values.js";
import { operationsListSchema } from "../uql/schema-refs.js";
import { isPlainObject } from "../uql/values.js";
import { unknownOperationTargets, variablesWithOperations, type DataOperations } from "./variables.js";

const TIMESTAMP = "timestamp";

/** Now, as Python's `datetime.now(tz=timezone.utc).isoformat()` writes it (microseconds). */
function utcTimestamp(): string {
  const micros = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
  const seconds = new Date(Number(micros / 1000n)).toISOString().slice(0, 19);
  const fraction = Number(micros % 1_000_000n);
  return fraction === 0 ? `${seconds}+00:00` : `${seconds}.${String(fraction).padStart(6, "0")}+00:00`;
}

const isMissing = (v: unknown): boolean => v === null || v === undefined || Number.isNaN(v);

/** The cells of one column, as pandas infers its dtype and prints it. */
function columnCells(values: readonly unknown[]): string[] {
  const present = values.filter((v) => !isMissing(v));
  const numeric = present.length > 0 && present.every((v) => typeof v === "number");
  const asFloat = numeric && (present.length < values.length || present.some((v) => !isPythonInt(v as number)));
  return values.map((v) => {
    if (isMissing(v)) return "";
    return asFloat ? floatRepr(v as number) : pyStr(v);
  });
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(rows: readonly Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = columns.map((column) => columnCells(rows.map((row) => row[column])));
  const lines = [columns.map(csvField).join(",")];
  rows.forEach((_, r) => lines.push(cells.map((column) => csvField(column[r]!)).join(",")));
  return lines.map((line) => `${line}\n`).join("");
}

function reservedTimestamp(step: Readonly<Record<string, unknown>>): Problem[] {
  return ["columns_data", "columns_operations"]
    .filter((field) => isPlainObject(step[field]) && Object.hasOwn(step[field] as object, TIMESTAMP))
    .map((field) => ({ code: "invalid_field", property: field, message: `the column name "${TIMESTAMP}" is reserved: the block adds it` }));
}

export const csvFormatterBlock = defineBlock<{
  columns_data: Record<string, unknown>[];
  columns_operations: DataOperations;
}>({
  manifest: {
    type: "roboflow_core/csv_formatter@v1",
    name: "CSV Formatter",
    description: "Builds a CSV document with one row per element, the named columns and a timestamp column.",
    family: "formatters",
    fields: {
      columns_data: {
        description: "The columns: name to value.",
        shape: "dict",
        kinds: ["*"],
        schema: { type: ["string", "number", "boolean"] },
        required: true,
        batched: true,
      },
      columns_operations: {
        description: "Operations applied to column values (by name).",
        schema: { type: "object", additionalProperties: operationsListSchema },
        default: {},
      },
    },
    outputs: [{ name: "csv_content", kinds: ["string"] }],
  },
  validate: (step) => [...reservedTimestamp(step), ...unknownOperationTargets(step, "columns_data", "columns_operations")],
  runBatch: ({ columns_data, columns_operations }) => {
    const rows = columns_data.map((data) => ({
      ...variablesWithOperations(data, columns_operations, "/columns_operations"),
      [TIMESTAMP]: utcTimestamp(),
    }));
    const csv = toCsv(rows);
    return rows.map((_, i) => ({ csv_content: i === rows.length - 1 ? csv : null }));
  },
});
