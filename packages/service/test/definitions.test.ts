/** Definitions and the service itself: validate, describe_interface, blocks, the grammar's schema, health, OpenAPI. */
import { describe, expect, it } from "vitest";
import { openApiPath } from "../src/openapi.js";
import { ECHO_WORKFLOW } from "../src/testing/index.js";
import { imageSpec, KEYS, testService, WORKSPACE } from "./harness.js";

describe("validate", () => {
  it("answers ok for a definition, bare or wrapped, and every problem of a bad one", async () => {
    const { call } = await testService();
    expect((await call("POST", "/workflows/validate", { body: ECHO_WORKFLOW })).body).toEqual({ status: "ok" });
    // Clients of the reference server send api_key with it: not part of the definition, and not checked.
    expect((await call("POST", "/workflows/validate", { body: { specification: ECHO_WORKFLOW, api_key: "cvf_unknown" } })).body).toEqual({ status: "ok" });
    expect((await call("POST", "/workflows/validate", { body: { specification: ECHO_WORKFLOW } })).body).toEqual({ status: "ok" });
    const bad = await call("POST", "/workflows/validate", { body: { version: "9", steps: [{ type: "nope", name: "a" }], outputs: [] } });
    expect(bad.statusCode).toBe(400);
    const errors = (bad.body as { error: { details: { errors: { code: string }[] } } }).error.details.errors;
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect((await call("POST", "/workflows/validate", { body: "text" })).statusCode).toBe(400);
  });
});

describe("describe_interface", () => {
  const expected = {
    inputs: { image: ["image"], x: ["*"] },
    outputs: { image: ["image"], x: ["*"] },
    typing_hints: { "*": "any", image: "object" },
    kinds_schemas: {},
  };
  const spec = { ...imageSpec, inputs: [...imageSpec.inputs, ...ECHO_WORKFLOW.inputs], steps: ECHO_WORKFLOW.steps, outputs: [...imageSpec.outputs, ...ECHO_WORKFLOW.outputs] };

  it("names inputs and outputs with their kinds, inline and saved", async () => {
    const { call } = await testService();
    expect((await call("POST", "/workflows/describe_interface", { body: { specification: spec } })).body).toEqual(expected);
    await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "Flow", config: spec } });
    expect((await call("POST", `/${WORKSPACE}/workflows/flow/describe_interface`, { key: KEYS.reader })).body).toEqual(expected);
    expect((await call("POST", `/${WORKSPACE}/workflows/flow/describe_interface`)).statusCode).toBe(401);
  });

  it("gives the JSON type and schema of kinds that have one", async () => {
    const { call } = await testService();
    const typed = { version: "1.0", inputs: [{ type: "WorkflowParameter", name: "t", kind: ["float_zero_to_one"] }], steps: [], outputs: [{ type: "JsonField", name: "t", selector: "$inputs.t" }] };
    const body = (await call("POST", "/workflows/describe_interface", { body: { specification: typed } })).body;
    expect(body).toMatchObject({ typing_hints: { float_zero_to_one: "number" }, kinds_schemas: { float_zero_to_one: { type: "number", minimum: 0, maximum: 1 } } });
  });
});

describe("blocks and grammar", () => {
  it("describes every block with its ids, schema and output kinds, and every kind", async () => {
    const { call, engine } = await testService();
    for (const method of ["GET", "POST"]) {
      const body = (await call(method, "/workflows/blocks/describe")).body as {
        blocks: { manifest_type_identifier: string; aliases: string[]; human_friendly_block_name: string; block_schema: { properties: Record<string, unknown> }; outputs_manifest: { name: string; kind: { name: string }[] }[] }[];
        kinds: { name: string }[];
      };
      expect(body.blocks.length).toBe(engine.registry.list().length);
      const crop = body.blocks.find((b) => b.manifest_type_identifier === "roboflow_core/dynamic_crop@v1")!;
      expect(crop.aliases).toContain("Crop");
      expect(crop.block_schema.properties).toHaveProperty("images");
      expect(crop.outputs_manifest).toContainEqual(expect.objectContaining({ name: "crops" }));
      expect(body.kinds.map((k) => k.name)).toContain("object_detection_prediction");
    }
  });

  it("serves the grammar's JSON Schema and health", async () => {
    const { call } = await testService();
    const schema = (await call("GET", "/workflows/definition/schema")).body as { schema: { $schema: string; required: string[] } };
    expect(schema.schema.$schema).toContain("2020-12");
    expect((await call("GET", "/health")).body).toEqual({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });
});

describe("openapi.json", () => {
  it("documents every route with unique operation ids, security, and schemas that resolve", async () => {
    const { call, service } = await testService();
    const document = (await call("GET", "/openapi.json")).body as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; security: unknown[]; responses: Record<string, unknown>; parameters?: { name: string; in: string }[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.openapi).toBe("3.1.0");
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
    expect(operations.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort()).toEqual(service.routes.map((r) => `${r.method} ${openApiPath(r.path)}`).sort());
    expect(new Set(operations.map((o) => o.op.operationId)).size).toBe(operations.length);
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(document.components.schemas, ref).toHaveProperty(ref);
    const get = document.paths["/{workspace}/workflows/{workflow_id}"]!["get"]!;
    expect(get.parameters?.map((p) => `${p.in}:${p.name}`)).toEqual(["path:workspace", "path:workflow_id", "query:workflow_version_id", "query:workflow_version"]);
    expect(get.security).toContainEqual({});
    expect(Object.keys(get.responses)).toEqual(expect.arrayContaining(["200", "401", "403", "404", "500"]));
    expect(document.paths["/health"]!["get"]!.security).toEqual([]);
    expect(document.paths["/{workspace}/updateWorkflow"]!["post"]!.parameters).toContainEqual(expect.objectContaining({ in: "header", name: "If-Match" }));
  });
});
