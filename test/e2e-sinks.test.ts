/**
 * The local stack runs the deployment's functions with their configuration: a sink in a sync run
 * (the API function) and in an async run (the runs function) writes to the stack's bucket under
 * CVFLOW_S3_SINK_PREFIX, and `disable_sinks` in the request keeps both silent.
 */
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { LocalStack } from "@cvflow/local";
import { createS3Client } from "@cvflow/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, testStack } from "./local-stack.js";

const SINK = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "row", kind: ["string"] }],
  steps: [{ type: "roboflow_core/s3_sink@v1", name: "sink", content: "$inputs.row", output_mode: "separate_files", file_type: "txt", s3_prefix: "e2e" }],
  outputs: [
    { type: "JsonField", name: "error_status", selector: "$steps.sink.error_status" },
    { type: "JsonField", name: "message", selector: "$steps.sink.message" },
  ],
};

let stack: LocalStack;
beforeAll(async () => {
  stack = await testStack({ env: { CVFLOW_S3_SINK_PREFIX: "results/" } });
});
afterAll(() => stack?.close());

async function written(): Promise<string[]> {
  const client = createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: stack.s3.bucket, Prefix: "results/e2e/" }));
  const bodies = await Promise.all((listed.Contents ?? []).map(async (o) => (await client.send(new GetObjectCommand({ Bucket: stack.s3.bucket, Key: o.Key! }))).Body!.transformToString()));
  client.destroy();
  return bodies.sort();
}

describe("sinks on the local stack", () => {
  it("a sync run writes under the deployment's sink prefix; disable_sinks writes nothing", async () => {
    const sent = await call(stack, "POST", "/workflows/run", { body: { specification: SINK, inputs: { row: "sync" } } });
    expect(sent.status).toBe(200);
    expect(sent.body.outputs[0]).toEqual({ error_status: false, message: expect.stringMatching(new RegExp(`^Data saved successfully to s3://${stack.s3.bucket}/results/e2e/workflow_output_.*\\.txt$`)) });
    const silent = await call(stack, "POST", "/workflows/run", { body: { specification: SINK, inputs: { row: "silent" }, disable_sinks: true } });
    expect(silent.body.outputs[0]).toEqual({ error_status: false, message: "Sink was disabled by workflow execution policy" });
    expect(await written()).toEqual(["sync"]);
  });

  it("an async run (the runs function) writes too, and keeps disable_sinks for its execution", async () => {
    const finished = async (row: string, disable: boolean) => {
      const started = await call(stack, "POST", "/workflows/runs", { body: { specification: SINK, inputs: { row }, disable_sinks: disable } });
      expect(started.status).toBe(202);
      await expect.poll(async () => (await call(stack, "GET", `/runs/${started.body.id}`)).body.status, { timeout: 20_000 }).toBe("succeeded");
      return (await call(stack, "GET", `/runs/${started.body.id}`)).body.outputs[0];
    };
    expect(await finished("async", false)).toMatchObject({ error_status: false });
    expect(await finished("async silent", true)).toEqual({ error_status: false, message: "Sink was disabled by workflow execution policy" });
    expect(await written()).toEqual(["async", "sync"]);
  });
});
