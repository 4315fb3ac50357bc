/**
 * The service end to end, over real HTTP against the local stack (S3-protocol server on loopback,
 * Function-URL gateway, the Lambda handler, real models on real photos).
 */
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { createS3Client, S3ApiKeyStore } from "@cvflow/store";
import { call, testStack } from "./local-stack.js";
import { missing, sharedPhoto } from "@cvflow/vision/test-assets";
import { photo } from "./vision-fixtures.js";

let stack: LocalStack;
let keyOf: (workspace: string, scopes: string[]) => Promise<string>;

beforeAll(async () => {
  stack = await testStack();
  const keys = new S3ApiKeyStore(createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials }), stack.s3.bucket);
  keyOf = async (workspace, scopes) => (await keys.create(workspace, scopes as never, "test")).key;
});
afterAll(() => stack?.close());

const detector = (classFilter: string[] | null) => ({
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "ObjectDetectionModel", name: "detection", image: "$inputs.image", model_id: "yolov8n-640", class_filter: classFilter }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
});
const classesOf = (body: any): string[] => body.outputs[0].predictions.predictions.map((p: { class: string }) => p.class).sort();

describe.skipIf(missing("a saved workflow's life, over HTTP", { models: ["yolov8n-640"], photos: ["bus.jpg"] }))("a saved workflow's life, over HTTP", () => {
  it("create -> run -> update -> versions -> run the old version -> fork -> delete -> restore", async () => {
    const created = await call(stack, "POST", "/demo/createWorkflow", { body: { name: "Bus detector", url: "bus-detector", config: JSON.stringify({ specification: detector(null) }) } });
    expect(created.status).toBe(201);
    expect(created.body.workflow).toMatchObject({ url: "bus-detector", name: "Bus detector", public: false });
    const firstVersion = created.body.workflow.versionId;

    const run = await call(stack, "POST", "/demo/workflows/bus-detector", { body: { inputs: { image: photo("bus.jpg") } } });
    expect(run.status).toBe(200);
    expect(classesOf(run.body)).toEqual(["bus", "person", "person", "person", "person"]);

    // A bare specification as config is wrapped; the update carries the ETag it read.
    const read = await call(stack, "GET", "/demo/workflows/bus-detector");
    expect(read.headers.get("etag")).toBe(`"${read.body.etag}"`);
    expect(JSON.parse(read.body.workflow.config)).toEqual({ specification: detector(null) });
    const updated = await call(stack, "POST", "/demo/updateWorkflow", { body: { url: "bus-detector", config: detector(["person"]) }, headers: { "if-match": read.body.etag } });
    expect(updated.status).toBe(200);

    const versions = await call(stack, "GET", "/demo/workflows/bus-detector/versions");
    expect(versions.body.versions.map((v: { versionId: string }) => v.versionId)).toEqual([updated.body.workflow.versionId, firstVersion]);
    const current = await call(stack, "POST", "/demo/workflows/bus-detector", { body: { inputs: { image: photo("bus.jpg") } } });
    expect(classesOf(current.body)).toEqual(["person", "person", "person", "person"]);
    const old = await call(stack, "POST", "/demo/workflows/bus-detector", { body: { inputs: { image: photo("bus.jpg") }, workflow_version_id: firstVersion } });
    expect(classesOf(old.body)).toEqual(["bus", "person", "person", "person", "person"]);

    const fork = await call(stack, "POST", "/demo/forkWorkflow", { body: { url: "bus-detector", new_url: "people-only" } });
    expect(fork.status).toBe(201);
    expect(JSON.parse(fork.body.workflow.config)).toEqual({ specification: detector(["person"]) });

    const deleted = await call(stack, "DELETE", "/demo/workflows/bus-detector", { headers: { "if-match": updated.body.etag } });
    expect(deleted.status).toBe(200);
    expect((await call(stack, "GET", "/demo/workflows/bus-detector")).status).toBe(404);
    const trash = await call(stack, "GET", "/demo/trash");
    expect(trash.body.workflows.map((w: { url: string }) => w.url)).toContain("bus-detector");
    const restored = await call(stack, "POST", "/demo/trash/restore", { body: { url: "bus-detector" } });
    expect(restored.status).toBe(200);
    const again = await call(stack, "POST", "/demo/workflows/bus-detector", { body: { inputs: { image: photo("bus.jpg") } } });
    expect(classesOf(again.body)).toEqual(["person", "person", "person", "person"]);
    const listed = await call(stack, "GET", "/demo/workflows");
    expect(listed.body.workflows.map((w: { url: string }) => w.url).sort()).toEqual(["bus-detector", "people-only"]);
  }, 60_000);
});

describe("auth", () => {
  const run = (key: string | null, url = "guarded") => call(stack, "POST", `/demo/workflows/${url}`, { body: { inputs: { n: 2 } }, key });
  const spec = { version: "1.0", inputs: [{ type: "WorkflowParameter", name: "n" }], steps: [], outputs: [] };

  beforeAll(async () => {
    for (const url of ["guarded", "other-one"]) expect((await call(stack, "POST", "/demo/createWorkflow", { body: { name: url, url, config: { specification: spec } } })).status).toBe(201);
    expect((await call(stack, "POST", "/demo/createWorkflow", { body: { name: "open", url: "open-one", config: { specification: spec }, public: true } })).status).toBe(201);
  });

  it("no key or a bad key: 401; another workspace or a missing scope: 403; the right key: 200", async () => {
    expect((await run(null)).status).toBe(401);
    expect((await run(null)).body.error.code).toBe("unauthorized");
    expect((await run("cvf_not-a-key")).status).toBe(401);
    const otherWorkspace = await keyOf("elsewhere", ["workflow:read", "workflow:run"]);
    expect((await run(otherWorkspace)).status).toBe(403);
    expect((await run(otherWorkspace)).body.error.code).toBe("forbidden");
    const readOnly = await keyOf("demo", ["workflow:read"]);
    expect((await run(readOnly)).status).toBe(403);
    expect((await call(stack, "GET", "/demo/workflows/guarded", { key: readOnly })).status).toBe(200);
    expect((await call(stack, "POST", "/demo/createWorkflow", { key: readOnly, body: { name: "x", config: { specification: spec } } })).status).toBe(403);
    expect((await run(stack.apiKey)).status).toBe(200);
  });

  it("a workflow token runs only its workflow", async () => {
    const issued = await call(stack, "POST", "/demo/workflowToken", { body: { url: "guarded" } });
    expect(issued.status).toBe(200);
    expect((await run(issued.body.token)).status).toBe(200);
    expect((await run(issued.body.token, "other-one")).status).toBe(403);
    expect((await call(stack, "GET", "/demo/workflows/guarded", { key: issued.body.token })).status).toBe(403);
  });

  it("a public workflow is readable and runnable without a key", async () => {
    expect((await call(stack, "GET", "/demo/workflows/open-one", { key: null })).status).toBe(200);
    expect((await run(null, "open-one")).status).toBe(200);
  });

  it("keys work in the query and the body too", async () => {
    expect((await call(stack, "POST", `/demo/workflows/guarded?api_key=${stack.apiKey}`, { body: { inputs: {} }, key: null })).status).toBe(200);
    expect((await call(stack, "POST", "/demo/workflows/guarded", { body: { inputs: {}, api_key: stack.apiKey }, key: null })).status).toBe(200);
  });
});

describe("optimistic concurrency", () => {
  it("of concurrent updates carrying the same ETag, exactly one wins; the others get 412", async () => {
    const spec = (n: number) => ({ version: "1.0", inputs: [], steps: [], outputs: [], description: n });
    await call(stack, "POST", "/demo/createWorkflow", { body: { name: "race", url: "race", config: { specification: spec(0) } } });
    const { body } = await call(stack, "GET", "/demo/workflows/race");
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => call(stack, "POST", "/demo/updateWorkflow", { body: { url: "race", name: `writer ${i}`, etag: body.etag } })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
    for (const r of results.filter((x) => x.status === 412)) expect(r.body.error.code).toBe("precondition_failed");
    const winner = results.find((r) => r.status === 200)!;
    const final = await call(stack, "GET", "/demo/workflows/race");
    expect(final.body.workflow.name).toBe(winner.body.workflow.name);
    expect((await call(stack, "GET", "/demo/workflows/race/versions")).body.versions).toHaveLength(2);
  });
});

describe.skipIf(missing("responses over 6 MB", { models: ["yolov8n-640"], photos: ["roboflow/license_plate.jpg"] }))("responses over 6 MB", () => {
  it("stores the images of a >10 MB response and sends presigned URLs instead when asked, each of which returns its image", async () => {
    const outputs = Array.from({ length: 24 }, (_, i) => ({ type: "JsonField", name: `view_${i}`, selector: `$steps.box_${i}.image` }));
    const steps = [
      { type: "ObjectDetectionModel", name: "detection", image: "$inputs.image", model_id: "yolov8n-640" },
      ...Array.from({ length: 24 }, (_, i) => ({ type: "roboflow_core/bounding_box_visualization@v1", name: `box_${i}`, image: "$inputs.image", predictions: "$steps.detection.predictions", thickness: 1 + i })),
    ];
    const definition = { version: "1.0", inputs: [{ type: "WorkflowImage", name: "image" }], steps, outputs };
    const response = await call(stack, "POST", "/workflows/run", { body: { specification: definition, inputs: { image: photo("roboflow/license_plate.jpg") }, large_response: "offload" } });
    expect(response.status).toBe(200);
    expect(response.bytes).toBeLessThan(6 * 1024 * 1024);
    const views = Object.values(response.body.outputs[0]) as { type: string; value: string }[];
    expect(views).toHaveLength(24);
    const { width, height } = await sharp(sharedPhoto("roboflow/license_plate.jpg")).metadata();
    // Raw, the 24 annotated 1920x1280 JPEGs are well over 10 MB of base64.
    let rawBytes = 0;
    let offloaded = 0;
    for (const view of views) {
      let bytes: Buffer;
      if (view.type === "url") {
        offloaded++;
        const fetched = await fetch(view.value);
        expect(fetched.status).toBe(200);
        bytes = Buffer.from(await fetched.arrayBuffer());
      } else bytes = Buffer.from(view.value, "base64");
      rawBytes += Math.ceil(bytes.length / 3) * 4;
      const meta = await sharp(bytes).metadata();
      expect([meta.width, meta.height]).toEqual([width, height]);
    }
    expect(rawBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(offloaded).toBeGreaterThan(0);
  }, 120_000);

  it("refuses a request over 6 MB with 413, pointing to /uploads", async () => {
    const big = { type: "base64", value: readFileSync(sharedPhoto("roboflow/license_plate.jpg")).toString("base64").repeat(24) };
    const response = await call(stack, "POST", "/workflows/run", { body: { specification: detector(null), inputs: { image: big } } });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe("request_too_large");
    expect(response.body.error.message).toContain("/uploads");
  });
});
