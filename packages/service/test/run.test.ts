/** Runs (inline, saved, legacy path, older versions), the saved-definition cache, and the options of a run. */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ECHO_WORKFLOW, overrunWorkflow } from "../src/testing/index.js";
import { imageSpec, KEYS, testService, WORKSPACE } from "./harness.js";

describe("runs", () => {
  it("run an inline specification, with excluded fields and a profiler trace", async () => {
    const { call } = await testService();
    const spec = { ...ECHO_WORKFLOW, outputs: [...ECHO_WORKFLOW.outputs, { type: "JsonField", name: "raw", selector: "$inputs.x" }] };
    const response = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: spec, inputs: { x: 7 }, excluded_fields: ["raw"], enable_profiling: true } });
    expect(response.statusCode).toBe(200);
    const body = response.body as { outputs: unknown[]; profiler_trace: { name: string }[] };
    expect(body.outputs).toEqual([{ x: 7 }]);
    expect(body.profiler_trace.map((e) => e.name)).toEqual(["copy"]);
  });

  it("answer compile errors with every problem, and a missing specification with invalid_request", async () => {
    const { call } = await testService();
    const bad = { ...ECHO_WORKFLOW, steps: [{ type: "roboflow_core/property_definition@v1", name: "copy", data: "$inputs.nope", operations: [] }] };
    const response = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: bad } });
    expect(response.statusCode).toBe(400);
    const error = (response.body as { error: { code: string; details: { errors: { pointer: string; step: string }[] } } }).error;
    expect(error.code).toBe("invalid_workflow");
    expect(error.details.errors[0]).toMatchObject({ step: "copy", pointer: "/steps/0/data" });
    expect((await call("POST", "/workflows/run", { key: KEYS.runner, body: { inputs: {} } })).statusCode).toBe(400);
    expect((await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: ECHO_WORKFLOW, inputs: [1] } })).statusCode).toBe(400);
  });

  it("take images as base64 and as s3 uploads of this service, and no other s3 object", async () => {
    const { call, blobs } = await testService();
    const png = await sharp({ create: { width: 8, height: 6, channels: 3, background: "#08f" } }).png().toBuffer();
    const base64 = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: imageSpec, inputs: { image: { type: "base64", value: png.toString("base64") } } } });
    expect(base64.statusCode).toBe(200);
    const upload = (await call("POST", "/uploads", { key: KEYS.runner, body: { content_type: "image/png" } })).body as { upload_url: string; image: { type: string; value: string } };
    expect(upload.image.type).toBe("s3");
    await blobs.put(upload.image.value.replace(`s3://${blobs.bucket}/`, ""), png, "image/png");
    const s3 = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: imageSpec, inputs: { image: upload.image } } });
    expect(s3.statusCode).toBe(200);
    const image = (s3.body as { outputs: { image: { type: string; value: string } }[] }).outputs[0]!.image;
    expect(image.type).toBe("base64");
    expect((await sharp(Buffer.from(image.value, "base64")).metadata()).width).toBe(8);
    await blobs.put("workflows/secret.json", png, "image/png");
    const foreign = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: imageSpec, inputs: { image: { type: "s3", value: `s3://${blobs.bucket}/workflows/secret.json` } } } });
    expect(foreign.statusCode).toBe(403);
    expect((await call("POST", "/uploads", { key: KEYS.runner, body: { content_type: "text/html" } })).statusCode).toBe(400);
  });

  it("read only uploads of the caller's workspace: another workspace's key, or none, is 403 with the key and workspace", async () => {
    const { call, blobs, store } = await testService();
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: "#f80" } }).png().toBuffer();
    const upload = (await call("POST", "/uploads", { key: KEYS.runner })).body as { image: { type: string; value: string } };
    const key = upload.image.value.replace(`s3://${blobs.bucket}/`, "");
    expect(key).toMatch(new RegExp(`^uploads/${WORKSPACE}/[0-9a-f-]{36}$`));
    await blobs.put(key, png, "image/png");
    await store.create(WORKSPACE, { url: "open-image", name: "Open", specification: imageSpec, public: true });
    await store.create("other", { url: "their-image", name: "Theirs", specification: imageSpec });
    const inputs = { image: upload.image };

    expect((await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: imageSpec, inputs } })).statusCode).toBe(200);
    expect((await call("POST", `/${WORKSPACE}/workflows/open-image`, { key: KEYS.runner, body: { inputs } })).statusCode).toBe(200);

    const foreign = await call("POST", "/workflows/run", { key: KEYS.other, body: { specification: imageSpec, inputs } });
    expect(foreign.statusCode).toBe(403);
    expect((foreign.body as { error: unknown }).error).toMatchObject({ code: "forbidden", status: 403, details: { bucket: blobs.bucket, key, workspace: "other", pointer: "/inputs/image" } });
    expect((await call("POST", "/other/workflows/their-image", { key: KEYS.other, body: { inputs } })).statusCode).toBe(403);
    const anonymous = await call("POST", `/${WORKSPACE}/workflows/open-image`, { body: { inputs } });
    expect(anonymous.statusCode).toBe(403);
    expect((anonymous.body as { error: { message: string } }).error.message).toMatch(/without an API key/);
  });

  it("run a saved workflow, an older version of it, on the current and the legacy path", async () => {
    const { call } = await testService();
    const first = (await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "Flow", config: ECHO_WORKFLOW } })).body as { workflow: { versionId: string } };
    const doubled = { ...ECHO_WORKFLOW, steps: [{ ...ECHO_WORKFLOW.steps[0], operations: [{ type: "Multiply", other: 2 }] }] };
    await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, body: { url: "flow", config: doubled } });
    expect((await call("POST", `/${WORKSPACE}/workflows/flow`, { key: KEYS.runner, body: { inputs: { x: 5 } } })).body).toEqual({ outputs: [{ x: 10 }] });
    expect((await call("POST", `/infer/workflows/${WORKSPACE}/flow`, { key: KEYS.runner, body: { inputs: { x: 5 } } })).body).toEqual({ outputs: [{ x: 10 }] });
    const older = await call("POST", `/${WORKSPACE}/workflows/flow`, { key: KEYS.runner, body: { inputs: { x: 5 }, workflow_version_id: first.workflow.versionId } });
    expect(older.body).toEqual({ outputs: [{ x: 5 }] });
    const missing = await call("POST", `/${WORKSPACE}/workflows/flow`, { key: KEYS.runner, body: { workflow_version_id: "v999999" } });
    expect(missing.statusCode).toBe(404);
  });

  it("keep a saved definition in memory: a repeated run reads neither the store nor a key again", async () => {
    const { call, store, keys } = await testService();
    await store.create(WORKSPACE, { url: "flow", name: "Flow", specification: ECHO_WORKFLOW });
    await call("POST", `/${WORKSPACE}/workflows/flow`, { key: KEYS.runner, body: { inputs: { x: 1 } } });
    const [reads, finds] = [store.reads, keys.finds];
    for (let i = 0; i < 5; i++) expect((await call("POST", `/${WORKSPACE}/workflows/flow`, { key: KEYS.runner, body: { inputs: { x: i } } })).body).toEqual({ outputs: [{ x: i }] });
    expect([store.reads, keys.finds]).toEqual([reads, finds]);
    await call("POST", `/${WORKSPACE}/workflows/flow`, { key: KEYS.runner, body: { use_cache: false } });
    expect(store.reads).toBe(reads + 1);
  });

  it("see an update made through the service at once", async () => {
    const { call } = await testService();
    await call("POST", `/${WORKSPACE}/createWorkflow`, { key: KEYS.admin, body: { name: "Flow", config: ECHO_WORKFLOW } });
    expect((await call("POST", `/${WORKSPACE}/workflows/flow`, { key: KEYS.runner, body: {} })).body).toEqual({ outputs: [{ x: 1 }] });
    await call("POST", `/${WORKSPACE}/updateWorkflow`, { key: KEYS.admin, body: { url: "flow", config: { ...ECHO_WORKFLOW, inputs: [{ ...ECHO_WORKFLOW.inputs[0], default_value: 2 }] } } });
    expect((await call("POST", `/${WORKSPACE}/workflows/flow`, { key: KEYS.runner, body: {} })).body).toEqual({ outputs: [{ x: 2 }] });
  });

  // The block sleeps deaf to the signal (harness.ts): the engine answers anyway.
  it("stop at the request's signal with 504 deadline_exceeded and the steps that had finished", async () => {
    const { call } = await testService();
    const spec = overrunWorkflow(5_000);
    const started = Date.now();
    const response = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: spec }, signal: AbortSignal.timeout(200) });
    // The relation, not a margin: the answer came before the 5 s step could have finished.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(response.statusCode).toBe(504);
    expect((response.body as { error: { code: string; details: unknown } }).error).toMatchObject({ code: "deadline_exceeded", details: { finished_steps: ["quick"], running_steps: ["slow"] } });
  });
});
