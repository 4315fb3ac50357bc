/** validate, describeInterface, describeBlocks, schema, health against the real service in-process. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BLUR_WORKFLOW, RecordedApi, TEST_WORKSPACE } from "@cvflow/service/testing";
import { CvflowClient, CvflowError } from "../src/index.js";

let api: RecordedApi;
let client: CvflowClient;

beforeAll(async () => {
  api = await RecordedApi.start({ version: "1.2.3-test" });
  client = new CvflowClient({ baseUrl: api.baseUrl, fetch: api.fetch });
});
beforeEach(() => api.reset());
afterAll(() => api.close());

describe("definitions", () => {
  it("validates with POST /workflows/validate, wrapping the definition", async () => {
    expect(await client.validate(BLUR_WORKFLOW)).toEqual({ status: "ok" });
    const request = api.last("/workflows/validate");
    expect(request.method).toBe("POST");
    expect(request.json).toEqual({ specification: BLUR_WORKFLOW });
    expect(request.headers["authorization"]).toBeUndefined();
  });

  it("throws invalid_workflow with every problem in details.errors", async () => {
    const error = (await client.validate({ version: "1.0" }).catch((e: unknown) => e)) as CvflowError;
    expect(error).toBeInstanceOf(CvflowError);
    expect(error.code).toBe("invalid_workflow");
    expect(error.status).toBe(400);
    const answered = api.last("/workflows/validate").answer!.json.error;
    expect(error.message).toBe(answered.message);
    expect(error.details["errors"]).toEqual(answered.details.errors);
    expect(error.details["errors"]).toEqual([
      expect.objectContaining({ pointer: "/specification/steps", message: '"steps" must be a list' }),
      expect.objectContaining({ pointer: "/specification/outputs", message: '"outputs" must be a list' }),
    ]);
  });

  it("describes the interface of a definition and of a saved workflow", async () => {
    await api.test.store.create(TEST_WORKSPACE, { url: "shelf", name: "Shelf", specification: BLUR_WORKFLOW, public: true });
    const described = await client.describeInterface({ specification: BLUR_WORKFLOW });
    const answered = api.last("/workflows/describe_interface").answer!.json;
    expect(described).toEqual({ inputs: answered.inputs, outputs: answered.outputs, typingHints: answered.typing_hints, kindsSchemas: answered.kinds_schemas });
    expect(described).toMatchObject({ inputs: { image: ["image"] }, outputs: { blurred: ["image"] }, typingHints: { image: "object" } });
    expect(api.last("/workflows/describe_interface").json).toEqual({ specification: BLUR_WORKFLOW });

    expect(await client.describeInterface({ workspace: "acme", workflowId: "shelf" })).toEqual(described);
    expect(api.last("/acme/workflows/shelf/describe_interface").method).toBe("POST");
  });

  it("describes blocks, the definition schema and health with GETs", async () => {
    const blocks = await client.describeBlocks();
    expect(blocks.blocks.map((block) => block.manifest_type_identifier)).toContain("roboflow_core/image_blur@v1");
    expect(blocks.kinds).toContainEqual(expect.objectContaining({ name: "image" }));
    expect((await client.schema()).schema["title"]).toBe(api.test.engine.schema().title);
    expect(await client.health()).toEqual({ status: "ok", version: "1.2.3-test" });
    expect(api.received.map((r) => `${r.method} ${r.path} ${r.body.length}`)).toEqual([
      "GET /workflows/blocks/describe 0",
      "GET /workflows/definition/schema 0",
      "GET /health 0",
    ]);
    expect(api.received.every((r) => r.headers["accept"] === "application/json" && r.headers["content-type"] === undefined)).toBe(true);
  });
});
