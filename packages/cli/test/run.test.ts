/** `cvflow run`: what reaches the server, what is printed, and the exit codes. */
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { examplePhoto } from "@cvflow/vision/test-assets";
import { FakeApi, OUTPUT_IMAGE, SPECIFICATION } from "../../sdk/test/fake-api.js";
import { cvflow } from "./spawn-cvflow.js";

let api: FakeApi;
let env: Record<string, string>;
const dir = mkdtempSync(`${tmpdir()}/cvflow-cli-`);
const SPEC = `${dir}/spec.json`;
const PHOTO = examplePhoto("coffee.jpg");

beforeAll(async () => {
  api = await FakeApi.start();
  env = { CVFLOW_URL: api.url, CVFLOW_API_KEY: "cvf_env" };
  writeFileSync(SPEC, JSON.stringify({ specification: SPECIFICATION }));
});
beforeEach(() => api.reset());
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cvflow run", () => {
  it("runs a definition file with a photo and prints a readable summary, images by size", async () => {
    const { code, stdout, stderr } = await cvflow(["run", SPEC, "--image", PHOTO], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const request = api.last("/workflows/run");
    expect(request.headers["authorization"]).toBe("Bearer cvf_env");
    expect(request.json).toEqual({ specification: SPECIFICATION, inputs: { image: { type: "base64", value: readFileSync(PHOTO).toString("base64") } } });
    expect(stdout).toBe(
      [
        "predictions  <2 predictions: dog 0.95, bicycle 0.89>",
        `annotated    <image/jpeg 768×576 ${(OUTPUT_IMAGE.length / 1024).toFixed(1)} KiB>`,
        "count        2",
        "",
      ].join("\n"),
    );
  });

  it("runs a saved workflow with named images, a batch, typed parameters, exclusions and a version, as JSON", async () => {
    const args = ["run", "acme/shelf", "-i", `photo=${PHOTO}`, "--image", "crops=https://x.test/a.jpg", "--image", "crops=s3://b/k"];
    args.push("--param", "confidence=0.5", "-p", "model_id=yolov8n-640", "-p", 'classes=["dog","cat"]', "-p", "label=a=b");
    args.push("--exclude", "annotated", "-x", "count", "--version-id", "v1", "--json", "--api-key", "cvf_flag");
    const { code, stdout } = await cvflow(args, env);
    expect(code).toBe(0);
    const request = api.last("/acme/workflows/shelf", "POST");
    expect(request.headers["authorization"]).toBe("Bearer cvf_flag");
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
      workflow_version_id: "v1",
      excluded_fields: ["annotated", "count"],
    });
    const printed = JSON.parse(stdout);
    expect(printed.outputs[0].annotated).toEqual({ type: "base64", value: OUTPUT_IMAGE.toString("base64") });
  });

  it("writes the profiler trace to the --profile file", async () => {
    const trace = `${dir}/trace.json`;
    const { code, stdout } = await cvflow(["run", SPEC, "--profile", trace], env);
    expect(code).toBe(0);
    expect(api.last("/workflows/run").json.enable_profiling).toBe(true);
    expect(JSON.parse(readFileSync(trace, "utf8"))).toEqual([{ name: "blur", ph: "X", ts: 0, dur: 5, pid: 1, tid: 1 }]);
    expect(stdout).toContain(`profiler trace: 1 events written to ${trace}`);
  });

  it("heads each result of a batch and prints long values as indented JSON", async () => {
    const detail = { boxes: Array.from({ length: 8 }, (_, i) => ({ x: i, y: i, label: `label-${i}` })) };
    api.reply("POST /workflows/run", { body: { outputs: [{ detail, url: { type: "url", value: "https://s3.test/x.jpg?sig" } }, { detail: null, url: null }] } });
    const { code, stdout } = await cvflow(["run", SPEC, "--url", api.url], { CVFLOW_URL: "http://127.0.0.1:65534" });
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("outputs[0]");
    expect(lines[1]).toBe("  detail  {");
    expect(lines[2]).toBe('            "boxes": [');
    expect(stdout).toContain("  url     <image at https://s3.test/x.jpg?sig>\noutputs[1]\n  detail  null\n  url     null\n");
  });
});

describe("cvflow run errors", () => {
  it("prints the server's code and message, no stack, and exits 1", async () => {
    api.reply("POST /workflows/run", { status: 400, body: { error: { code: "missing_input", message: 'The input "image" is required', status: 400, details: {} } } });
    const { code, stdout, stderr } = await cvflow(["run", SPEC], env);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe('cvflow: missing_input: The input "image" is required\n');
  });

  it("prints the error envelope as JSON with --json", async () => {
    api.reply("POST /workflows/run", { status: 504, body: { error: { code: "deadline_exceeded", message: "The run took over 20 s", status: 504, details: { finished_steps: ["a"] } } } });
    const { code, stderr } = await cvflow(["--json", "run", SPEC], env);
    expect(code).toBe(1);
    expect(JSON.parse(stderr)).toEqual({ error: { code: "deadline_exceeded", message: "The run took over 20 s", status: 504, details: { finished_steps: ["a"] } } });
  });

  it("exits 1 for a missing definition file, a missing image file and an unreachable server", async () => {
    const missingSpec = await cvflow(["run", `${dir}/nope.json`], env);
    expect([missingSpec.code, missingSpec.stderr]).toEqual([1, expect.stringMatching(/^cvflow: file_not_readable: Cannot read .*nope\.json/)]);
    const missingImage = await cvflow(["run", SPEC, "--image", "missing.jpg"], env);
    expect([missingImage.code, missingImage.stderr]).toEqual([1, expect.stringMatching(/^cvflow: invalid_image_source: Cannot read the image file missing\.jpg/)]);
    const closed = await FakeApi.start();
    const closedUrl = closed.url;
    await closed.close();
    const unreachable = await cvflow(["run", SPEC], { CVFLOW_URL: closedUrl });
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
