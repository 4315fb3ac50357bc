/** validate, describeInterface, describeBlocks, schema, health. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CvflowClient, CvflowError } from "../src/index.js";
import { FakeApi, SPECIFICATION } from "./fake-api.js";

let api: FakeApi;
let client: CvflowClient;

beforeAll(async () => {
  api = await FakeApi.start();
  client = new CvflowClient({ baseUrl: api.url });
});
beforeEach(() => api.reset());
afterAll(() => api.close());

describe("definitions", () => {
  it("validates with POST /workflows/validate, wrapping the definition", async () => {
    expect(await client.validate(SPECIFICATION)).toEqual({ status: "ok" });
    const request = api.last("/workflows/validate");
    expect(request.method).toBe("POST");
    expect(request.json).toEqual({ specification: SPECIFICATION });
    expect(request.headers["authorization"]).toBeUndefined();
  });

  it("throws invalid_workflow with every problem in details.errors", async () => {
    const error = (await client.validate({ version: "1.0" }).catch((e: unknown) => e)) as CvflowError;
    expect(error).toBeInstanceOf(CvflowError);
    expect(error.code).toBe("invalid_workflow");
    expect(error.status).toBe(400);
    expect(error.message).toBe("steps is required");
    expect(error.details["errors"]).toEqual([{ code: "missing_field", message: "steps is required", pointer: "/steps", step: null, property: "steps" }]);
  });

  it("describes the interface of a definition and of a saved workflow", async () => {
    const expected = {
      inputs: { image: ["image"], model_id: ["roboflow_model_id"] },
      outputs: { blurred: ["image"] },
      typingHints: { image: "dict", roboflow_model_id: "str" },
      kindsSchemas: {},
    };
    expect(await client.describeInterface({ specification: SPECIFICATION })).toEqual(expected);
    expect(api.last("/workflows/describe_interface").json).toEqual({ specification: SPECIFICATION });

    expect(await client.describeInterface({ workspace: "acme", workflowId: "shelf" })).toEqual(expected);
    expect(api.last("/acme/workflows/shelf/describe_interface").method).toBe("POST");
  });

  it("describes blocks, the definition schema and health with GETs", async () => {
    const blocks = await client.describeBlocks();
    expect(blocks.blocks[0]!.manifest_type_identifier).toBe("roboflow_core/image_blur@v1");
    expect(blocks.kinds).toEqual([{ name: "image" }]);
    expect((await client.schema()).schema["title"]).toBe("WorkflowDefinition");
    expect(await client.health()).toEqual({ status: "ok", version: "0.1.0" });
    expect(api.received.map((r) => `${r.method} ${r.path} ${r.body.length}`)).toEqual([
      "GET /workflows/blocks/describe 0",
      "GET /workflows/definition/schema 0",
      "GET /health 0",
    ]);
    expect(api.received.every((r) => r.headers["accept"] === "application/json" && r.headers["content-type"] === undefined)).toBe(true);
  });
});
