/**
 * inner_workflow steps naming saved workflows where the service does not run the workflow itself,
 * on the whole local stack: a batch job (its real S3 server and state machine) whose saved workflow
 * includes another saved one, pinned by Prepare so that a child updated while the job runs changes
 * none of its batches; and a video pipeline started over HTTP with an inline definition that
 * includes a saved workflow.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { LocalStack } from "@cvflow/local";
import { createS3Client, isNotFound, S3ApiKeyStore } from "@cvflow/store";
import { skipping } from "@cvflow/vision/test-assets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testClip } from "../packages/video/test/video-assets.js";
import { photoVariants, pythonCsv, uploadVariants, type Variant } from "./batch-fixtures.js";
import { call, testStack } from "./local-stack.js";

const IMAGES = "inner/";

/** The child: the image's width, and a tag its versions differ in. */
const child = (tag: string) => ({
  version: "1.0",
  inputs: [
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowParameter", name: "tag", default_value: tag },
  ],
  steps: [
    { type: "roboflow_core/property_definition@v1", name: "width", data: "$inputs.image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] },
    { type: "roboflow_core/property_definition@v1", name: "tag", data: "$inputs.tag", operations: [] },
  ],
  outputs: [
    { type: "JsonField", name: "width", selector: "$steps.width.output" },
    { type: "JsonField", name: "tag", selector: "$steps.tag.output" },
  ],
});

/** A parent including `workspace/id`; with `gate`, each image waits for the file the parameter `gate` names (test/fixtures/gate-block.ts). */
const parent = (workspace: string, id: string, gate: boolean) => ({
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }, ...(gate ? [{ type: "WorkflowParameter", name: "gate" }] : [])],
  steps: [
    ...(gate ? [{ type: "test/gate@v1", name: "gate", path: "$inputs.gate" }] : []),
    { type: "roboflow_core/inner_workflow@v1", name: "inc", workflow_workspace_id: workspace, workflow_id: id, parameter_bindings: { image: "$inputs.image" } },
  ],
  outputs: [
    { type: "JsonField", name: "width", selector: "$steps.inc.width" },
    { type: "JsonField", name: "tag", selector: "$steps.inc.tag" },
  ],
});

let stack: LocalStack;
let s3: S3Client;
let bucket: string;
let dir: string;
let variants: Variant[];

beforeAll(async () => {
  stack = await testStack({ env: { CVFLOW_BLOCKS_MODULE: fileURLToPath(new URL("./fixtures/gate-block.ts", import.meta.url)) } });
  bucket = stack.s3.bucket;
  s3 = createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials });
  dir = mkdtempSync(join(tmpdir(), "cvflow-inner-"));
  variants = await photoVariants(3);
  await uploadVariants(s3, bucket, IMAGES, variants);
}, 60_000);
afterAll(async () => {
  s3?.destroy();
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function save(url: string, specification: unknown): Promise<{ versionId: string; etag: string }> {
  const created = await call(stack, "POST", `/${stack.workspace}/createWorkflow`, { body: { name: url, url, config: { specification } } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { versionId: created.body.workflow.versionId, etag: created.body.etag };
}

/** An object of the bucket as JSON, once it exists. */
async function whenWritten(key: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString());
    } catch (error) {
      if (!isNotFound(error) || Date.now() > deadline) throw error;
    }
    await sleep(50);
  }
}

async function finished(job: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await call(stack, "GET", `/batch/jobs/${job}`);
    if (status === 200 && ["succeeded", "completed_with_failures", "failed", "aborted"].includes(body.state)) return body;
    if (Date.now() > deadline) throw new Error(`job ${job} did not finish: ${status} ${JSON.stringify(body)}`);
    await sleep(100);
  }
}

async function rows(job: string): Promise<{ image: string; width: string; tag: string }[]> {
  const csv = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `batches/${job}/output/aggregated_results.csv` }))).Body!.transformToString();
  return pythonCsv(csv).rows.map((row) => ({ image: row["image"]!, width: row["width"]!, tag: row["tag"]! })).sort((a, b) => (a.image < b.image ? -1 : 1));
}

describe("a batch job whose saved workflow includes another saved workflow", () => {
  it("runs the child as Prepare pinned it in every batch, even when the child is updated meanwhile; the next job runs the update", async () => {
    const first = await save("child", child("first"));
    const saved = await save("parent", parent(stack.workspace, "child", true));
    const gate = join(dir, "open");
    const job = {
      workflow: { workspace: stack.workspace, id: "parent" },
      input: { manifest: variants.map((variant) => `s3://${bucket}/${IMAGES}${variant.path}`) },
      parameters: { gate },
      // One image per batch, one batch at a time: the first holds at the gate; the others load the workflow after the update.
      batch_size: 1,
      max_concurrency: 1,
    };
    const submitted = await call(stack, "POST", "/batch/jobs", { body: job });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(202);
    const id = submitted.body.job as string;

    const pinned = await whenWritten(`batches/${id}/workflow.json`);
    expect(pinned.version_id).toBe(saved.versionId);
    const step = pinned.specification.steps[1];
    expect(step).not.toHaveProperty("workflow_id");
    expect(step.workflow_definition).toEqual(child("first"));

    const updated = await call(stack, "POST", `/${stack.workspace}/updateWorkflow`, { body: { url: "child", name: "child", config: { specification: child("second") } }, headers: { "if-match": first.etag } });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    writeFileSync(gate, "");

    const status = await finished(id);
    expect(status).toMatchObject({ state: "succeeded", total: 3, done: 3, failed: 0 });
    const expected = (tag: string) => variants.map((variant) => ({ image: `${IMAGES}${variant.name}`, width: String(variant.width), tag })).sort((a, b) => (a.image < b.image ? -1 : 1));
    expect(await rows(id)).toEqual(expected("first"));

    // A new job pins the child as it is now.
    const again = await call(stack, "POST", "/batch/jobs", { body: job });
    expect(again.status).toBe(202);
    expect(await finished(again.body.job)).toMatchObject({ state: "succeeded", done: 3 });
    expect(await rows(again.body.job)).toEqual(expected("second"));
  }, 120_000);

  it("refuses at submission a child the job's workspace may not include, with its pointer", async () => {
    const keys = new S3ApiKeyStore(s3, bucket);
    const other = (await keys.create("elsewhere", ["workflow:run"], "other")).key;
    await call(stack, "POST", "/elsewhere/createWorkflow", { key: other, body: { name: "theirs", url: "theirs", config: { specification: child("theirs") } } });
    const refused = await call(stack, "POST", "/batch/jobs", {
      body: { workflow: { specification: parent("elsewhere", "theirs", false) }, input: { manifest: [`s3://${bucket}/${IMAGES}${variants[0]!.path}`] } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors).toEqual([expect.objectContaining({ code: "inner_workflow_not_found", pointer: "/workflow/specification/steps/0/workflow_id" })]);
  });
});

const noFfmpeg = spawnSync("ffmpeg", ["-version"]).error ? skipping("a pipeline including a saved workflow", ["ffmpeg is not installed (apt-get install ffmpeg)"]) : undefined;

describe.skipIf(noFfmpeg)("a video pipeline started over HTTP", () => {
  it("runs an inline definition that includes a saved workflow", async () => {
    await save("pipeline-child", child("from-saved"));
    const clip = testClip(dir, "clip.mp4", { seconds: 0.3, fps: 10, width: 96, height: 64 });
    const started = await call(stack, "POST", "/inference_pipelines/initialise", {
      body: {
        video_configuration: { type: "VideoConfiguration", video_reference: clip },
        processing_configuration: { type: "WorkflowConfiguration", workflow_specification: parent(stack.workspace, "pipeline-child", false) },
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const id = started.body.context.pipeline_id as string;
    const outputs: unknown[] = [];
    for (let attempt = 0; outputs.length < 3 && attempt < 200; attempt++) {
      const answer = await call(stack, "GET", `/inference_pipelines/${id}/consume`);
      expect(answer.status).toBe(200);
      if (answer.body.outputs.length > 0) outputs.push(...answer.body.outputs);
      else await sleep(50);
    }
    expect(outputs).toEqual(Array.from({ length: 3 }, () => ({ width: 96, tag: "from-saved" })));
    expect((await call(stack, "POST", `/inference_pipelines/${id}/terminate`)).status).toBe(200);

    const missing = await call(stack, "POST", "/inference_pipelines/initialise", {
      body: {
        video_configuration: { type: "VideoConfiguration", video_reference: clip },
        processing_configuration: { type: "WorkflowConfiguration", workflow_specification: parent(stack.workspace, "no-such-child", false) },
      },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.errors).toEqual([expect.objectContaining({ code: "inner_workflow_not_found", pointer: "/steps/0/workflow_id" })]);
  }, 60_000);
});
