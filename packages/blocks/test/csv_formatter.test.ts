import { describe, expect, it } from "vitest";
import { csvFormatterBlock } from "../src/formatters/csv_formatter.js";
import { ctx, detections } from "./fixtures.js";

type Params = Parameters<typeof csvFormatterBlock.runBatch>[0];

async function run(columns_data: Record<string, unknown>[], columns_operations: Record<string, unknown[]> = {}) {
  return csvFormatterBlock.runBatch({ columns_data, columns_operations } as Params, ctx) as Promise<{ csv_content: string | null }[]> | { csv_content: string | null }[];
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00$/;

/** The document's lines with the trailing timestamp column split off and checked. */
function rows(csv: string): string[] {
  expect(csv.endsWith("\n")).toBe(true);
  const lines = csv.slice(0, -1).split("\n");
  return lines.map((line, i) => {
    const cut = line.lastIndexOf(",");
    const last = line.slice(cut + 1);
    if (i === 0) expect(last).toBe("timestamp");
    else expect(last).toMatch(TIMESTAMP);
    return line.slice(0, cut);
  });
}

describe("CSV Formatter block", () => {
  it("declares Roboflow's id, fields and output; columns_data is batched", () => {
    const { manifest } = csvFormatterBlock;
    expect(manifest.type).toBe("roboflow_core/csv_formatter@v1");
    expect(Object.keys(manifest.fields)).toEqual(["columns_data", "columns_operations"]);
    expect(manifest.fields["columns_data"]!.batched).toBe(true);
    expect(manifest.outputs).toEqual([{ name: "csv_content", kinds: ["string"] }]);
  });

  it("one element: header and one row, timestamp last (Roboflow's scalar workflow)", async () => {
    const [result] = await run([{ a: "some", b: "other", c: 4 }], { a: [{ type: "StringToUpperCase" }] });
    expect(rows(result!.csv_content!)).toEqual(["a,b,c", "SOME,other,4"]);
  });

  it("a batch: one row per element, the document on the last element only", async () => {
    const d = (n: number) => detections(Array.from({ length: n }, () => [0, 0, 1, 1, 0.5, 0, "a"] as [number, number, number, number, number, number, string]));
    const result = await run(
      [
        { predictions: d(2), reference: ["a"] },
        { predictions: d(0), reference: ["a", "b"] },
        { predictions: d(1), reference: "a" },
      ],
      { predictions: [{ type: "SequenceLength" }] },
    );
    expect(result.map((r) => r.csv_content === null)).toEqual([true, true, false]);
    expect(rows(result[2]!.csv_content!)).toEqual(["predictions,reference", "2,['a']", `0,"['a', 'b']"`, "1,a"]);
  });

  it("writes cells as pandas does: str(), empty None, floats for a numeric column with gaps or fractions", async () => {
    const result = await run([
      { ints: 1, gaps: 1, fractions: 1, mixed: 1, text: 'say "hi"', flags: true, nested: { k: [1] } },
      { ints: 2, gaps: null, fractions: 2.5, mixed: "x", text: "a,b", flags: null, nested: null },
    ]);
    expect(rows(result[1]!.csv_content!)).toEqual([
      "ints,gaps,fractions,mixed,text,flags,nested",
      `1,1.0,1.0,1,"say ""hi""",True,{'k': [1]}`,
      `2,,2.5,x,"a,b",,`,
    ]);
  });

  it("keeps line breaks inside quoted cells", async () => {
    const [result] = await run([{ note: "two\nlines" }]);
    expect(result!.csv_content).toMatch(/^note,timestamp\n"two\nlines",\d{4}-/);
  });

  it("refuses a column named timestamp and operations for undefined columns", () => {
    const validate = csvFormatterBlock.validate!;
    expect(validate({ columns_data: { timestamp: "$inputs.t" } })).toEqual([
      { code: "invalid_field", property: "columns_data", message: 'the column name "timestamp" is reserved: the block adds it' },
    ]);
    expect(validate({ columns_data: { a: 1 }, columns_operations: { timestamp: [], b: [] } })).toEqual([
      { code: "invalid_field", property: "columns_operations", message: 'the column name "timestamp" is reserved: the block adds it' },
      { code: "undeclared_symbol", property: "columns_operations", message: '"columns_operations" transforms "timestamp", which "columns_data" does not define (it defines: a)' },
      { code: "undeclared_symbol", property: "columns_operations", message: '"columns_operations" transforms "b", which "columns_data" does not define (it defines: a)' },
    ]);
  });
});
