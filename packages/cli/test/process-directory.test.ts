/** processDirectory in-process: the cases the command tests do not reach. */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createWorkflowEngine } from "@cvflow/blocks";
import { afterAll, describe, expect, it } from "vitest";
import { examplePhoto } from "@cvflow/vision/test-assets";
import { processDirectory } from "../src/index.js";
import { GRAYSCALE_WORKFLOW, writeCoffeePng } from "./image-folder.js";

const dir = mkdtempSync(`${tmpdir()}/cvflow-process-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("processDirectory", () => {
  it("names two files named alike as a job does, and never takes an output folder inside the input for images", async () => {
    const input = `${dir}/in`;
    mkdirSync(input);
    copyFileSync(examplePhoto("dog.jpg"), `${input}/a.jpg`);
    await writeCoffeePng(`${input}/a.png`);
    const output = `${input}/results`;
    const options = { input, output, workflow: { specification: GRAYSCALE_WORKFLOW }, engine: createWorkflowEngine(), saveImageOutputs: true, aggregationFormat: "jsonl" as const };

    expect(await processDirectory(options)).toMatchObject({ images: 2, done: 2, failed: 0, skipped: 0, stopped: false, aggregated: "aggregated_results.jsonl", failures: null });
    const rows = readFileSync(`${output}/aggregated_results.jsonl`, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(rows.map((row) => [row.image, row.source, row.outputs.width])).toEqual([
      ["a", `${input}/a.jpg`, 768],
      ["a.png", `${input}/a.png`, 600],
    ]);
    expect(readdirSync(`${output}/a.png`).sort()).toEqual(["gray.jpg", "results.json"]);

    // results/a/gray.jpg lies inside the input: a forced rerun still sees two images, not three.
    expect(await processDirectory({ ...options, forceReprocessing: true })).toMatchObject({ images: 2, done: 2, failed: 0 });
  });
});
