/**
 * runWorkflow asks for a large response's images to be offloaded and fetches them back; a failed
 * fetch is a CvflowError naming the output, without the URL's signature. (The round trip through
 * a real stack is in test/e2e-large-responses.test.ts.)
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { CvflowClient, CvflowError } from "../src/index.js";
import { FakeApi, SPECIFICATION } from "./fake-api.js";

let api: FakeApi;
let client: CvflowClient;

beforeAll(async () => {
  api = await FakeApi.start();
  client = new CvflowClient({ baseUrl: api.url, apiKey: "cvf_test" });
});
beforeEach(() => api.reset());
afterAll(() => api.close());

it("asks for offloading with the X-Cvflow-Large-Response header", async () => {
  await client.runWorkflow({ specification: SPECIFICATION });
  expect(api.last("/workflows/run").headers["x-cvflow-large-response"]).toBe("offload");
});

it("fails with download_failed naming the output when an offloaded image cannot be fetched", async () => {
  const url = `${api.url}/results/gone.jpg?X-Amz-Signature=secret`;
  api.reply("POST /workflows/run", { headers: { "x-cvflow-offloaded-images": "1" }, body: { outputs: [{ count: 1 }, { "a/b": { type: "url", value: url } }] } });
  const error = (await client.runWorkflow({ specification: SPECIFICATION }).catch((e: unknown) => e)) as CvflowError;
  expect(error).toBeInstanceOf(CvflowError);
  expect([error.code, error.status]).toEqual(["download_failed", 404]);
  expect(error.message).toContain(`the offloaded image at /outputs/1/a~1b (${api.url}/results/gone.jpg)`);
  expect(error.message).not.toContain("secret");
  const download = api.last("/results/gone.jpg");
  expect(download.headers["authorization"]).toBeUndefined();
});

it("leaves {type: url} values alone in a response that offloaded nothing", async () => {
  const value = { type: "url", value: "https://example.com/a.jpg" };
  api.reply("POST /workflows/run", { body: { outputs: [{ echoed: value }] } });
  expect((await client.runWorkflow({ specification: SPECIFICATION })).outputs).toEqual([{ echoed: value }]);
  expect(api.received).toHaveLength(1);
});
