/**
 * A response over 6 MB on the real stack: Roboflow's clients, which do not ask, get 413
 * response_too_large; our SDK and CLI ask for its images to be offloaded and fetch them back, so
 * that they see the same base64 images as a response that fits.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { CvflowClient } from "@cvflow/sdk";
import { cvflow } from "../packages/cli/test/spawn-cvflow.js";
import { call, testStack } from "./local-stack.js";
import { noiseJpeg } from "./noise-jpeg.js";

const copies = (names: string[]) => ({
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [],
  outputs: names.map((name) => ({ type: "JsonField", name, selector: "$inputs.image" })),
});
const FOUR = ["a", "b", "c", "d"];

let stack: LocalStack;
let jpeg: Buffer;
/** The image as a response that fits carries it (its video_metadata holds the time of the run: not compared). */
let small: { type: string; value: string };
beforeAll(async () => {
  stack = await testStack();
  jpeg = await noiseJpeg();
  const fits = await call(stack, "POST", "/workflows/run", { body: { specification: copies(["a"]), inputs: { image: { type: "base64", value: jpeg.toString("base64") } } } });
  expect(fits.status).toBe(200);
  small = { type: fits.body.outputs[0].a.type, value: fits.body.outputs[0].a.value };
  expect(small.type).toBe("base64");
});
afterAll(() => stack?.close());

it("answers 413 response_too_large to a request that does not ask for offloading", async () => {
  const response = await call(stack, "POST", "/workflows/run", { body: { specification: copies(FOUR), inputs: { image: small } } });
  expect(response.status).toBe(413);
  expect(response.body.error.details).toMatchObject({ limit_bytes: 6 * 1024 * 1024, large_response: "fail", offload_enabled: true });
  expect(response.body.error.details.size_bytes).toBeGreaterThan(4 * small.value.length);
});

it("SDK: the offloaded images come back as the base64 a small response carries", async () => {
  const downloads: string[] = [];
  const watched: typeof fetch = (input, init) => {
    if ((init?.method ?? "GET") === "GET" && String(input).includes("/results/")) downloads.push(String(input));
    return fetch(input, init);
  };
  const client = new CvflowClient({ baseUrl: stack.url, apiKey: stack.apiKey, fetch: watched });
  const result = await client.runWorkflow({ specification: copies(FOUR) }, { images: { image: jpeg } });
  expect(downloads.length).toBeGreaterThan(0);
  expect(result.outputs).toHaveLength(1);
  for (const name of FOUR) expect(result.outputs[0]![name]).toMatchObject(small);
});

it("CLI: cvflow run --json prints the same base64 images", async () => {
  const dir = mkdtempSync(join(tmpdir(), "cvflow-large-"));
  writeFileSync(join(dir, "spec.json"), JSON.stringify(copies(FOUR)));
  writeFileSync(join(dir, "noise.jpg"), jpeg);
  const { code, stdout, stderr } = await cvflow(["--json", "run", join(dir, "spec.json"), "--image", join(dir, "noise.jpg")], { CVFLOW_URL: stack.url, CVFLOW_API_KEY: stack.apiKey });
  expect([code, stderr]).toEqual([0, ""]);
  const printed = JSON.parse(stdout) as { outputs: Record<string, unknown>[] };
  for (const name of FOUR) expect(printed.outputs[0]![name]).toMatchObject(small);
}, 60_000);
