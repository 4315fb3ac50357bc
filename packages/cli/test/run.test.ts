/** `cvflow run` against the real service over loopback: what reaches it, what is printed, and the exit codes. */
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CannedServer, RecordedApi, SLOW_WORKFLOW, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { examplePhoto } from "@cvflow/vision/test-assets";
import { cvflow } from "./spawn-cvflow.js";
import { SUMMARY_WORKFLOW } from "./summary-workflow.js";

let api: RecordedApi;
let env: Record<string, string>;
const dir = mkdtempSync(`${tmpdir()}/cvflow-cli-`);
const SPEC = `${dir}/spec.json`;
const PHOTO = examplePhoto("coffee.jpg");

beforeAll(async () => {
  api = await RecordedApi.start({ allowedUrlHosts: [] });
  env = { CVFLOW_URL: api.url, CVFLOW_API_KEY: TEST_KEYS.runner };
  writeFileSync(SPEC, JSON.stringify({ specification: SUMMARY_WORKFLOW }));
});
beforeEach(() => api.reset());
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The bytes of the image output `name` of the last run's first result. */
function outputImage(path: string, name: string): Buffer {
  return Buffer.from(api.last(path, "POST").answer!.json.outputs[0][name].value, "base64");
}

describe("cvflow run", () => {
  it("runs a definition file with a photo and prints a readable summary, images by size", async () => {
    const { code, stdout, stderr } = await cvflow(["run", SPEC, "--image", PHOTO], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const request = api.last("/workflows/run");
    expect(request.headers["authorization"]).toBe(`Bearer ${TEST_KEYS.runner}`);
    expect(request.json).toEqual({ specification: SUMMARY_WORKFLOW, inputs: { image: { type: "base64", value: readFileSync(PHOTO).toString("base64") } } });
    const { width, height } = await sharp(PHOTO).metadata();
    expect(stdout).toBe(
      [
        "predictions  <2 predictions: dog 0.95, bicycle 0.89>",
        `annotated    <image/jpeg ${width}×${height} ${(outputImage("/workflows/run", "annotated").length / 1024).toFixed(1)} KiB>`,
        "count        2",
        "",
      ].join("\n"),
    );
  });

  it("sends a saved workflow's run with named images, a batch, typed parameters, exclusions and a version", async () => {
    const { value } = await api.test.store.create(TEST_WORKSPACE, { url: "shelf", name: "Shelf", specification: SUMMARY_WORKFLOW });
    const args = ["run", "acme/shelf", "-i", `photo=${PHOTO}`, "--image", "crops=https://x.test/a.jpg", "--image", "crops=s3://b/k"];
    args.push("--param", "confidence=0.5", "-p", "model_id=yolov8n-640", "-p", 'classes=["dog","cat"]', "-p", "label=a=b");
    args.push("--exclude", "annotated", "-x", "count", "--version-id", value.versionId, "--json", "--api-key", TEST_KEYS.admin);
    const { code, stderr } = await cvflow(args, env);
    const request = api.last("/acme/workflows/shelf", "POST");
    expect(request.headers["authorization"]).toBe(`Bearer ${TEST_KEYS.admin}`);
    expect(request.json).toEqual({
      inputs: {
        confidence: 0.5,
        model_id: "yolov8n-640",
        classes: ["dog", "cat"],
        label: "a=b",
        photo: { type: "base64", value: readFileSync(PHOTO).toString("base64") },
        crops: [
          { type: "url", value: "https://x.test/a.jpg" },
          { type: "s3", value: "s3://b/k" },
        ],
      },
      workflow_version_id: value.versionId,
      excluded_fields: ["annotated", "count"],
    });
    // The saved workflow has no such inputs: the service's refusal, as JSON.
    expect(code).toBe(1);
    expect(JSON.parse(stderr)).toEqual({ error: request.answer!.json.error });
  });

  it("prints a saved workflow's outputs as JSON, images as base64", async () => {
    const { value } = await api.test.store.create(TEST_WORKSPACE, { url: "printed", name: "Printed", specification: SUMMARY_WORKFLOW });
    const { code, stdout } = await cvflow(["run", "acme/printed", "--image", PHOTO, "-x", "count", "--version-id", value.versionId, "--json"], env);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout);
    expect(printed.outputs).toEqual(api.last("/acme/workflows/printed", "POST").answer!.json.outputs);
    expect(printed.outputs[0].annotated).toMatchObject({ type: "base64", value: outputImage("/acme/workflows/printed", "annotated").toString("base64") });
    expect(printed.outputs[0]).not.toHaveProperty("count");
  });

  it("writes the profiler trace to the --profile file", async () => {
    const trace = `${dir}/trace.json`;
    const { code, stdout } = await cvflow(["run", SPEC, "--image", PHOTO, "--profile", trace], env);
    expect(code).toBe(0);
    const request = api.last("/workflows/run");
    expect(request.json.enable_profiling).toBe(true);
    const events = request.answer!.json.profiler_trace;
    expect(events.map((event: { name: string }) => event.name).sort()).toEqual(["blur", "counted", "detected"]);
    expect(JSON.parse(readFileSync(trace, "utf8"))).toEqual(events);
    expect(stdout).toContain(`profiler trace: ${events.length} events written to ${trace}`);
  });

  it("heads each result of a batch and prints long values as indented JSON", async () => {
    // Outputs that flow control left empty for the second image: a canned answer (core blocks alone make none).
    const canned = await CannedServer.start();
    try {
      const detail = { boxes: Array.from({ length: 8 }, (_, i) => ({ x: i, y: i, label: `label-${i}` })) };
      canned.answer(() => ({ body: { outputs: [{ detail, url: { type: "url", value: "https://s3.test/x.jpg?sig" } }, { detail: null, url: null }] } }));
      const { code, stdout } = await cvflow(["run", SPEC, "--url", canned.url], { CVFLOW_URL: "http://127.0.0.1:65534" });
      expect(code).toBe(0);
      const lines = stdout.split("\n");
      expect(lines[0]).toBe("outputs[0]");
      expect(lines[1]).toBe("  detail  {");
      expect(lines[2]).toBe('            "boxes": [');
      expect(stdout).toContain("  url     <image at https://s3.test/x.jpg?sig>\noutputs[1]\n  detail  null\n  url     null\n");
    } finally {
      await canned.close();
    }
  });
});

describe("cvflow run errors", () => {
  it("prints the server's code and message, no stack, and exits 1", async () => {
    const { code, stdout, stderr } = await cvflow(["run", SPEC], env);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const { error } = api.last("/workflows/run").answer!.json;
    expect(error.code).toBe("missing_input");
    expect(stderr).toBe(`cvflow: missing_input: ${error.message}\n`);
  });

  it("prints the error envelope as JSON with --json", async () => {
    // A run past a short deadline.
    const slow = await RecordedApi.start({ limits: { runDeadlineMs: 300 } });
    try {
      const spec = `${dir}/slow.json`;
      writeFileSync(spec, JSON.stringify(SLOW_WORKFLOW));
      const { code, stderr } = await cvflow(["--json", "run", spec], { ...env, CVFLOW_URL: slow.url });
      expect(code).toBe(1);
      const { error } = slow.last("/workflows/run").answer!.json;
      expect(error).toMatchObject({ code: "deadline_exceeded", status: 504, details: { finished_steps: ["a"] } });
      expect(JSON.parse(stderr)).toEqual({ error });
    } finally {
      await slow.close();
    }
  });

  it("exits 1 for a missing definition file, a missing image file and an unreachable server", async () => {
    const missingSpec = await cvflow(["run", `${dir}/nope.json`], env);
    expect([missingSpec.code, missingSpec.stderr]).toEqual([1, expect.stringMatching(/^cvflow: file_not_readable: Cannot read .*nope\.json/)]);
    const missingImage = await cvflow(["run", SPEC, "--image", "missing.jpg"], env);
    expect([missingImage.code, missingImage.stderr]).toEqual([1, expect.stringMatching(/^cvflow: invalid_image_source: Cannot read the image file missing\.jpg/)]);
    const unreachable = await cvflow(["run", SPEC], { CVFLOW_URL: await CannedServer.closedUrl() });
    expect([unreachable.code, unreachable.stderr]).toEqual([1, expect.stringMatching(/^cvflow: network_error: .*ECONNREFUSED/)]);
    for (const { stderr } of [missingSpec, missingImage, unreachable]) expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [["run"], "missing required argument 'target'"],
    [["run", "not-a-target"], '"not-a-target" is neither a .json file nor workspace/workflow-id'],
    [["run", SPEC, "--param", "novalue"], "Expected name=value."],
    [["run", SPEC, "--version-id", "v1"], "--version-id needs a saved workflow"],
    [["run", SPEC, "--nope"], "unknown option '--nope'"],
    [["run", SPEC, "--timeout", "soon"], "Expected a positive integer."],
    [["run", SPEC, "--url", "127.0.0.1:9001"], "Expected an http(s) URL."],
  ])("exits 2 on a usage error: %j", async (args, message) => {
    const { code, stderr } = await cvflow(args, env);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(api.received).toHaveLength(0);
  });
});
