/**
 * runWorkflow asks for a large response's images to be offloaded and fetches them back; a failed
 * fetch is a CvflowError naming the output, without the URL's signature. (The round trip through
 * a real stack is in test/e2e-large-responses.test.ts.)
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { BLUR_WORKFLOW, RecordedApi, TEST_KEYS } from "@cvflow/service/testing";
import { CvflowClient, CvflowError } from "../src/index.js";
import { CannedServer } from "@cvflow/service/testing";

let api: RecordedApi;
let client: CvflowClient;

beforeAll(async () => {
  api = await RecordedApi.start();
  client = new CvflowClient({ baseUrl: api.baseUrl, apiKey: TEST_KEYS.runner, fetch: api.fetch });
});
beforeEach(() => api.reset());
afterAll(() => api.close());

/** Answers its `x` parameter back. */
const ECHO = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "x" }],
  steps: [{ type: "roboflow_core/property_definition@v1", name: "copy", data: "$inputs.x", operations: [] }],
  outputs: [{ type: "JsonField", name: "echoed", selector: "$steps.copy.output" }],
};

it("asks for offloading with the X-Cvflow-Large-Response header", async () => {
  await client.runWorkflow({ specification: ECHO }, { parameters: { x: 1 } });
  expect(api.last("/workflows/run").headers["x-cvflow-large-response"]).toBe("offload");
});

it("fails with download_failed naming the output when an offloaded image cannot be fetched", async () => {
  // An offloaded image that is gone by the time it is fetched: the store's failure, from a canned server.
  const canned = await CannedServer.start();
  try {
    const url = `${canned.url}/results/gone.jpg?X-Amz-Signature=secret`;
    canned.answer((request) =>
      request.path === "/workflows/run" ? { headers: { "x-cvflow-offloaded-images": "1" }, body: { outputs: [{ count: 1 }, { "a/b": { type: "url", value: url } }] } } : { status: 404, raw: "" },
    );
    const error = (await new CvflowClient({ baseUrl: canned.url, apiKey: "cvf_test" }).runWorkflow({ specification: BLUR_WORKFLOW }).catch((e: unknown) => e)) as CvflowError;
    expect(error).toBeInstanceOf(CvflowError);
    expect([error.code, error.status]).toEqual(["download_failed", 404]);
    expect(error.message).toContain(`the offloaded image at /outputs/1/a~1b (${canned.url}/results/gone.jpg)`);
    expect(error.message).not.toContain("secret");
    const download = canned.received.findLast((r) => r.path === "/results/gone.jpg")!;
    expect(download.headers["authorization"]).toBeUndefined();
  } finally {
    await canned.close();
  }
});

it("leaves {type: url} values alone in a response that offloaded nothing", async () => {
  const value = { type: "url", value: "https://example.com/a.jpg" };
  expect((await client.runWorkflow({ specification: ECHO }, { parameters: { x: value } })).outputs).toEqual([{ echoed: value }]);
  expect(api.received).toHaveLength(1);
});
