/**
 * s3_sink@v1 against the local S3-protocol server, through the engine as the deployment builds it
 * (Egress.s3 with @cvflow/store's object writer): the keys and bodies it writes in each mode, the
 * deployment's rule for buckets, credentials a step gives (from a secret) used as given, S3's
 * refusal reported with the secret masked, disable_sinks, and the run's cancellation mid-write.
 */
import { createServer, type Server } from "node:net";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createWorkflowEngine, type Egress } from "@cvflow/blocks";
import { WorkflowError } from "@cvflow/engine";
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import { s3ObjectWriter } from "@cvflow/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const OTHER_BUCKET = "cvflow-sink-other";
const NOT_LISTED = "cvflow-sink-unlisted";
const TIMESTAMP = "\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{6}";

let s3: LocalS3;
let egress: Egress;

beforeAll(async () => {
  s3 = await startLocalS3("cvflow-sink-test");
  for (const bucket of [OTHER_BUCKET, NOT_LISTED]) await s3.client.send(new CreateBucketCommand({ Bucket: bucket }));
  const put = s3ObjectWriter({ region: s3.server.region, endpoint: s3.server.endpoint, credentials: s3.server.credentials });
  egress = { urlPolicy: {}, s3: { bucket: s3.bucket, prefix: "sinks/", allowedBuckets: [OTHER_BUCKET], put } };
});
afterAll(() => s3?.close());

async function objects(bucket: string, prefix = ""): Promise<{ key: string; body: string; type: string | undefined }[]> {
  const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const keys = (listed.Contents ?? []).map((o) => o.Key!).sort();
  return Promise.all(
    keys.map(async (key) => {
      const got = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return { key, body: await got.Body!.transformToString(), type: got.ContentType };
    }),
  );
}

/** A workflow writing each element of the batch input `rows` with the step's fields. */
function sinkWorkflow(fields: Record<string, unknown>, extraSteps: unknown[] = []) {
  return {
    version: "1.0",
    inputs: [{ type: "WorkflowBatchInput", name: "rows", kind: ["string"] }],
    steps: [...extraSteps, { type: "roboflow_core/s3_sink@v1", name: "sink", content: "$inputs.rows", ...fields }],
    outputs: [
      { type: "JsonField", name: "error_status", selector: "$steps.sink.error_status" },
      { type: "JsonField", name: "message", selector: "$steps.sink.message" },
    ],
  };
}

describe("s3_sink@v1", () => {
  const engine = () => createWorkflowEngine({ egress });

  it("separate_files: an object per input under the deployment's prefix, Roboflow's key and message", async () => {
    const rows = ["a,b\n1,2\n", "a,b\n3,4\n"];
    const { outputs } = await engine().run(sinkWorkflow({ output_mode: "separate_files", s3_prefix: "logs/det/", file_name_prefix: "run" }), { rows });
    const written = await objects(s3.bucket, "sinks/logs/det/");
    expect(written.map((o) => o.body)).toEqual(rows);
    expect(written.map((o) => o.type)).toEqual(["text/csv", "text/csv"]);
    for (const o of written) expect(o.key).toMatch(new RegExp(`^sinks/logs/det/run_${TIMESTAMP}\\.csv$`));
    expect(new Set(written.map((o) => o.key)).size).toBe(2);
    expect(outputs.map((o) => o["error_status"])).toEqual([false, false]);
    expect(outputs.map((o) => o["message"]).sort()).toEqual(written.map((o) => `Data saved successfully to s3://${s3.bucket}/${o.key}`));
  });

  it("append_log: entries gathered, the whole object written each time, a new one every max_entries_per_file; JSON as JSON Lines, CSV headers once", async () => {
    const docs = ['{"a": 1,\n "b": [1, 2]}', '{"a":2}', '{"a": 3}'];
    const json = await engine().run(sinkWorkflow({ output_mode: "append_log", file_type: "json", s3_prefix: "jl", max_entries_per_file: 2 }), { rows: docs });
    expect(json.outputs.map((o) => o["error_status"])).toEqual([false, false, false]);
    const jsonl = await objects(s3.bucket, "sinks/jl/");
    // One document a line, as Python's json.dumps writes it (", " and ": ").
    expect(jsonl.map((o) => o.body)).toEqual(['{"a": 1, "b": [1, 2]}\n{"a": 2}\n', '{"a": 3}\n']);
    expect(jsonl.map((o) => o.type)).toEqual(["application/x-ndjson", "application/x-ndjson"]);
    for (const o of jsonl) expect(o.key).toMatch(new RegExp(`^sinks/jl/workflow_output_${TIMESTAMP}\\.jsonl$`));
    // The second message names the first object, the third the second.
    expect(json.outputs.map((o) => String(o["message"]).split("/").at(-1))).toEqual([jsonl[0]!.key, jsonl[0]!.key, jsonl[1]!.key].map((k) => k.split("/").at(-1)));

    await engine().run(sinkWorkflow({ output_mode: "append_log", s3_prefix: "csv" }), { rows: ["x,y\n1,2", "x,y\n3,4\n", "x,y\n5,6"] });
    expect((await objects(s3.bucket, "sinks/csv/")).map((o) => o.body)).toEqual(["x,y\n1,2\n3,4\n5,6\n"]);
  });

  it("append_log keeps its object for the run only: the next run starts another", async () => {
    for (const rows of [["t1"], ["t2"]]) await engine().run(sinkWorkflow({ output_mode: "append_log", file_type: "txt", s3_prefix: "two-runs" }), { rows });
    expect((await objects(s3.bucket, "sinks/two-runs/")).map((o) => o.body).sort()).toEqual(["t1\n", "t2\n"]);
  });

  it("reports content that is not JSON, writing nothing", async () => {
    const { outputs } = await engine().run(sinkWorkflow({ output_mode: "append_log", file_type: "json", s3_prefix: "bad" }), { rows: ["{nope"] });
    expect(outputs).toEqual([{ error_status: true, message: "Invalid JSON content" }]);
    expect(await objects(s3.bucket, "sinks/bad/")).toEqual([]);
  });

  it("writes with the deployment's role to a listed bucket (keys as given) and its own bucket by name; refuses another, sending nothing", async () => {
    const listed = await engine().run(sinkWorkflow({ output_mode: "separate_files", bucket_name: OTHER_BUCKET, s3_prefix: "p", file_type: "txt" }), { rows: ["x"] });
    expect(listed.outputs[0]!["error_status"]).toBe(false);
    expect((await objects(OTHER_BUCKET)).map((o) => o.key)).toEqual([expect.stringMatching(new RegExp(`^p/workflow_output_${TIMESTAMP}\\.txt$`))]);
    const own = await engine().run(sinkWorkflow({ output_mode: "separate_files", bucket_name: s3.bucket, s3_prefix: "own", file_type: "txt" }), { rows: ["y"] });
    expect(own.outputs[0]!["error_status"]).toBe(false);
    expect((await objects(s3.bucket, "sinks/own/")).map((o) => o.body)).toEqual(["y"]);

    const refused = await engine().run(sinkWorkflow({ output_mode: "separate_files", bucket_name: NOT_LISTED }), { rows: ["z"] });
    expect(refused.outputs[0]).toEqual({ error_status: true, message: expect.stringContaining(`does not write to bucket "${NOT_LISTED}" with its own role`) });
    expect(refused.outputs[0]!["message"]).toContain("CVFLOW_S3_SINK_BUCKETS");
    expect(await objects(NOT_LISTED)).toEqual([]);
  });

  it("credentials from environment_secrets_store are used as given, in any bucket; S3's refusal is the message, the secret masked, and never an output", async () => {
    const { accessKeyId, secretAccessKey } = s3.server.credentials;
    const names = { id: "WORKFLOW_SECRET_S3_SINK_TEST_ID", key: "WORKFLOW_SECRET_S3_SINK_TEST_KEY" };
    const secrets = { type: "roboflow_core/environment_secrets_store@v1", name: "vault", variables_storing_secrets: [names.id, names.key] };
    const fields = {
      output_mode: "separate_files",
      bucket_name: NOT_LISTED,
      file_type: "txt",
      aws_access_key_id: "$steps.vault.workflow_secret_s3_sink_test_id",
      aws_secret_access_key: "$steps.vault.workflow_secret_s3_sink_test_key",
    };
    const workflow = sinkWorkflow(fields, [secrets]);
    workflow.outputs.push({ type: "JsonField", name: "key", selector: "$steps.vault.workflow_secret_s3_sink_test_key" });
    process.env[names.id] = accessKeyId;
    process.env[names.key] = secretAccessKey;
    try {
      const given = await engine().run(workflow, { rows: ["mine"] });
      expect(given.outputs).toEqual([{ error_status: false, message: expect.stringMatching(new RegExp(`^Data saved successfully to s3://${NOT_LISTED}/workflow_output_${TIMESTAMP}\\.txt$`)), key: "***" }]);
      expect((await objects(NOT_LISTED)).map((o) => o.body)).toEqual(["mine"]);

      const wrong = `${secretAccessKey}-wrong`;
      process.env[names.key] = wrong;
      const refused = await engine().run(workflow, { rows: ["not mine"] });
      expect(refused.outputs[0]!["error_status"]).toBe(true);
      expect(refused.outputs[0]!["message"]).toMatch(/^An error occurred \(\w+\) when calling the PutObject operation: /);
      expect(JSON.stringify(refused.outputs)).not.toContain(wrong);
      expect((await objects(NOT_LISTED)).map((o) => o.body)).toEqual(["mine"]);
    } finally {
      delete process.env[names.id];
      delete process.env[names.key];
    }
  });

  it("one credential without the other is reported, nothing sent", async () => {
    const { outputs } = await engine().run(sinkWorkflow({ output_mode: "separate_files", aws_access_key_id: "AKIA", s3_prefix: "half" }), { rows: ["x"] });
    expect(outputs[0]).toEqual({ error_status: true, message: expect.stringContaining("aws_access_key_id and aws_secret_access_key go together") });
    expect(await objects(s3.bucket, "sinks/half/")).toEqual([]);
  });

  it("disable_sinks: answers so at once and writes nothing", async () => {
    const { outputs } = await engine().run(sinkWorkflow({ output_mode: "separate_files", s3_prefix: "disabled" }), { rows: ["x"] }, { services: { sinksDisabled: true } });
    expect(outputs).toEqual([{ error_status: false, message: "Sink was disabled by workflow execution policy" }]);
    expect(await objects(s3.bucket, "sinks/disabled/")).toEqual([]);
  });

  it("an engine without the deployment's S3 settings fails the step with service_unavailable", async () => {
    const error = await createWorkflowEngine()
      .run(sinkWorkflow({ output_mode: "separate_files" }), { rows: ["x"] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ code: "service_unavailable", details: { step: "sink" } });
  });

  it("the run's cancellation stops a write S3 does not answer, failing the run", async () => {
    // An endpoint that takes the connection and never answers.
    const connected = Promise.withResolvers<void>();
    const silent: Server = createServer((socket) => {
      socket.on("error", () => {});
      connected.resolve();
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const put = s3ObjectWriter({ region: "us-east-1", endpoint: `http://127.0.0.1:${port}`, credentials: s3.server.credentials });
      const hanging = createWorkflowEngine({ egress: { urlPolicy: {}, s3: { bucket: "b-hang", prefix: "sinks/", allowedBuckets: [], put } } });
      const cancel = new AbortController();
      void connected.promise.then(() => cancel.abort());
      const error = await hanging.run(sinkWorkflow({ output_mode: "separate_files" }), { rows: ["x"] }, { signal: cancel.signal }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "run_cancelled" });
    } finally {
      silent.close();
    }
  });
});
