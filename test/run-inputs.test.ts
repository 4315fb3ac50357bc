/**
 * GET /runs/{run_id}/inputs over the real local stack (HTTP on loopback, the S3-protocol server),
 * through the SDK's runInputs: an async run's inputs as given, its upload as a presigned GET URL
 * that a plain fetch (a browser's <img>) reads back byte for byte; an s3 input that is not an
 * upload of the run's workspace left as given; a sync run's (none kept), another workspace's and
 * an unknown run's answered 404.
 */
import type { LocalStack } from "@cvflow/local";
import type { CvflowClient } from "@cvflow/sdk";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoWorkflow } from "./fixtures/echo-workflow.js";
import { call, testStack } from "./local-stack.js";
import { failure, sdkClients } from "./sdk-clients.js";

/** Image inputs that no step reads, and a parameter echoed back. */
const INPUTS_WORKFLOW = {
  version: "1.0",
  inputs: [
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowImage", name: "reference" },
    { type: "WorkflowImage", name: "foreign" },
    { type: "WorkflowParameter", name: "confidence", default_value: 0.5 },
  ],
  steps: [{ type: "roboflow_core/property_definition@v1", name: "copy", data: "$inputs.confidence", operations: [] }],
  outputs: [{ type: "JsonField", name: "confidence", selector: "$steps.copy.output" }],
};

let stack: LocalStack;
let client: CvflowClient;
let other: CvflowClient;

beforeAll(async () => {
  stack = await testStack();
  ({ client, other } = await sdkClients(stack));
});
afterAll(() => stack?.close());

function square(red: number): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 8, channels: 3, background: { r: red, g: 0, b: 0 } } }).jpeg().toBuffer();
}

describe("GET /runs/{run_id}/inputs", () => {
  it("answers an async run's inputs as given, its upload as a presigned GET URL that reads the uploaded bytes", async () => {
    const [uploaded, inline] = await Promise.all([square(200), square(40)]);
    const upload = await client.uploadImage(uploaded);
    expect(upload).toEqual({ type: "s3", value: expect.stringMatching(new RegExp(`^s3://${stack.s3.bucket}/uploads/${stack.workspace}/`)) });
    // Another workspace's upload: the run may not read it, and the route does not lend it.
    const foreign = { type: "s3" as const, value: `s3://${stack.s3.bucket}/uploads/other/3f0c2a1e-0000-4000-8000-000000000000` };
    const reference = "http://127.0.0.1:9/reference.jpg";
    const { id } = await client.runNowait({ specification: INPUTS_WORKFLOW }, { images: { image: [upload, inline], reference, foreign }, parameters: { confidence: 0.4 } });

    const { id: answeredId, inputs, specification } = await client.runInputs(id);
    expect(answeredId).toBe(id);
    // An inline run's definition comes back as it ran (the page draws its graph with it).
    expect(specification).toEqual(INPUTS_WORKFLOW);
    expect(inputs).toEqual({
      confidence: 0.4,
      image: [{ type: "url", value: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/.*X-Amz-Signature=/) }, { type: "base64", value: inline.toString("base64") }],
      reference: { type: "url", value: reference },
      foreign,
    });
    const presigned = (inputs["image"] as { value: string }[])[0]!.value;
    expect(presigned.startsWith(stack.s3.endpoint)).toBe(true);
    // No credential: the URL carries its own signature, as a browser's <img src> would send it.
    const response = await fetch(presigned);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(uploaded)).toBe(true);

    // The run refused the other workspace's upload; its inputs are kept as they were all the same.
    expect((await client.waitForRun(id)).status).toBe("failed");
    expect((await client.runInputs(id)).inputs["foreign"]).toEqual(foreign);
  });

  it("is 404 for a sync run (it keeps no request), another workspace's run and no run; 401 without a key", async () => {
    const { runId } = await client.runWorkflow({ specification: echoWorkflow }, { parameters: { x: 3 } });
    expect(await failure(client.runInputs(runId!))).toMatchObject({ status: 404, code: "run_inputs_not_kept", details: { run_id: runId } });

    const { id } = await client.runNowait({ specification: echoWorkflow }, { parameters: { x: 4 } });
    expect((await client.runInputs(id)).inputs).toEqual({ x: 4 });
    // A saved workflow's run: no definition, the workflow is read by its id with the rights that takes.
    await client.createWorkflow(stack.workspace, { name: "echo inputs", url: "echo-inputs", specification: echoWorkflow });
    const saved = await client.runNowait({ workspace: stack.workspace, workflowId: "echo-inputs" }, { parameters: { x: 5 } });
    expect(await client.runInputs(saved.id)).toEqual({ id: saved.id, inputs: { x: 5 } });
    await client.waitForRun(saved.id);
    expect(await failure(other.runInputs(id))).toMatchObject({ status: 404, code: "run_not_found" });
    expect(await failure(client.runInputs("0000000000000000000000000"))).toMatchObject({ status: 404, code: "run_not_found" });
    expect((await call(stack, "GET", `/runs/${id}/inputs`, { key: null })).status).toBe(401);
    await client.waitForRun(id);
  });

  it("is in the OpenAPI document", async () => {
    const document = (await call(stack, "GET", "/openapi.json")).body;
    expect(document.paths["/runs/{run_id}/inputs"].get).toMatchObject({ operationId: "getRunInputs", tags: ["runs"] });
    expect(document.components.schemas.RunInputs.required).toEqual(["id", "inputs"]);
  });
});
