/**
 * Roboflow's own Python client, unchanged (test/roboflow-client/inference_sdk), against the local
 * stack: every workflow method, every image form, the key in each channel, errors that keep their
 * message (its video pipeline methods: roboflow-client-pipelines.test.ts).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalStack } from "@cvflow/local";
import { examplePhoto, missing } from "@cvflow/vision/test-assets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, testStack } from "./local-stack.js";
import { findPython, runClientChecks } from "./roboflow-client/python.js";

const found = findPython();
const python = "python" in found ? found.python : undefined;
const detectionMissing = python ? missing("Roboflow's Python client, detection", { models: ["yolov8n-640"] }) : undefined;

/** Resizes `image` to `width` × `height`; outputs the image and its measured width. */
const resizeSpec = (height: number | string) => ({
  version: "1.0",
  inputs: [
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowParameter", name: "width", default_value: 64 },
  ],
  steps: [
    { type: "roboflow_core/image_preprocessing@v1", name: "resize", image: "$inputs.image", task_type: "resize", width: "$inputs.width", height },
    { type: "roboflow_core/property_definition@v1", name: "size", data: "$steps.resize.image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] },
  ],
  outputs: [
    { type: "JsonField", name: "resized", selector: "$steps.resize.image" },
    { type: "JsonField", name: "width", selector: "$steps.size.output" },
  ],
});

let stack: LocalStack;
let report: Record<string, any>;

describe.skipIf(!python)("Roboflow's Python client (inference_sdk) against the local stack", () => {
  beforeAll(async () => {
    stack = await testStack();
    const created = await call(stack, "POST", "/demo/createWorkflow", { body: { name: "Resize", url: "resize", config: { specification: resizeSpec(20) } } });
    expect(created.status).toBe(201);
    const updated = await call(stack, "POST", "/demo/updateWorkflow", { body: { url: "resize", config: { specification: resizeSpec("$inputs.width") } }, headers: { "if-match": created.body.etag } });
    expect(updated.status).toBe(200);
    let detect: string | undefined;
    if (!detectionMissing) {
      const specification = JSON.parse(readFileSync(join(import.meta.dirname, "..", "examples", "detect-and-visualize.workflow.json"), "utf8"));
      expect((await call(stack, "POST", "/demo/createWorkflow", { body: { name: "Detect", url: "detect", config: { specification } } })).status).toBe(201);
      detect = "detect";
    }
    report = await runClientChecks(python!, {
      api_url: stack.url,
      api_key: stack.apiKey,
      workspace: "demo",
      saved: "resize",
      first_version: created.body.workflow.versionId,
      resize_spec: resizeSpec("$inputs.width"),
      invalid_spec: { ...resizeSpec("$inputs.width"), steps: [{ type: "roboflow_core/no_such_block@v1", name: "nope" }] },
      photo: examplePhoto("dog.jpg"),
      other_photo: examplePhoto("coffee.jpg"),
      profiling_dir: mkdtempSync(join(tmpdir(), "cvflow-profiling-")),
      detect,
      detect_photo: examplePhoto("dog.jpg"),
    });
  }, 180_000);
  afterAll(() => stack?.close());

  /** One output of a resize run, as the client decoded it (NumPy images). */
  const resized = (width: number, height = width) => ({ resized: { kind: "numpy", shape: [height, width, 3], mean: expect.any(Number) }, width });
  const returned = (check: string) => {
    expect(report[check], JSON.stringify(report[check])).toHaveProperty("returned");
    return report[check].returned;
  };

  it("runs an inline definition with run_workflow (/workflows/run) and decodes its image to NumPy", () => {
    expect(returned("inline_run_workflow")).toEqual([resized(48)]);
  });

  it("runs an inline definition with the legacy infer_from_workflow (/infer/workflows)", () => {
    expect(returned("inline_infer_from_workflow")).toEqual([resized(48)]);
  });

  it("runs a saved workflow on both paths, and an older version by workflow_version_id", () => {
    expect(returned("saved_run_workflow")).toEqual([resized(40)]);
    expect(returned("saved_infer_from_workflow")).toEqual([resized(40)]);
    expect(returned("saved_first_version")).toEqual([resized(40, 20)]);
  });

  it("sends an image as a path, a NumPy array, a PIL image and base64, with the same result", () => {
    const fromPath = returned("inline_run_workflow");
    for (const form of ["image_numpy", "image_pil", "image_base64"]) {
      const result = returned(form);
      expect(result).toEqual([resized(48)]);
      // The same photo whatever the form (JPEG re-encoding by the client moves the mean a little).
      expect(Math.abs(result[0].resized.mean - fromPath[0].resized.mean)).toBeLessThan(3);
    }
  });

  it("runs a batch of images: one output per image", () => {
    expect(returned("batch_of_images")).toEqual([resized(48), resized(48)]);
  });

  it("honours excluded_fields, and accepts disable_sinks and use_cache", () => {
    expect(returned("excluded_fields")).toEqual([{ width: 48 }]);
    expect(returned("disable_sinks")).toEqual([resized(48)]);
    expect(returned("use_cache_false")).toEqual([resized(48)]);
  });

  it("leaves images base64 when the client asks for base64", () => {
    expect(returned("base64_output_format")).toEqual([{ resized: { kind: "base64", shape: [48, 48, 3] }, width: 48 }]);
  });

  it("saves the profiler trace enable_profiling returns", () => {
    const profiling = returned("profiling");
    expect(profiling.files).toBe(1);
    expect(profiling.events).toBeGreaterThan(0);
    expect(profiling.names.join(" ")).toContain("resize");
  });

  it("takes the API key in each of the client's channels: header, legacy (body) and both", () => {
    for (const transport of ["header", "legacy", "both"]) expect(returned(`key_in_${transport}`)).toEqual([resized(64)]);
  });

  it("shows cvflow's error message in the client's api_message, never N/A", () => {
    const expected: Record<string, [number, RegExp]> = {
      error_invalid_definition: [400, /no_such_block/],
      error_bad_parameter: [400, /width/],
      error_unknown_key: [401, /API key/i],
      error_unknown_workflow: [404, /no-such-workflow/],
    };
    for (const [check, [status, message]] of Object.entries(expected)) {
      expect(report[check], check).toMatchObject({ raised: "HTTPCallErrorError", status_code: status });
      expect(report[check].api_message, check).toMatch(message);
      expect(report[check].api_message, check).not.toMatch(/More details: None|^N\/A$/);
    }
  });

  it("refuses a response over 6 MB with 413, saying how large and how to get it (the client cannot read offloaded images)", () => {
    expect(report["large_response"]).toMatchObject({ raised: "HTTPCallErrorError", status_code: 413 });
    const bytes = Number(/(\d+) bytes/.exec(report["large_response"].api_message)?.[1]);
    expect(bytes).toBeGreaterThan(6 * 1024 * 1024);
    expect(report["large_response"].api_message).toMatch(/excluded_fields/);
  });

  it.skipIf(detectionMissing)("runs a saved detection workflow: predictions as Roboflow shapes them, the annotated image decoded", () => {
    const [output] = returned("saved_detection");
    expect(output.predictions.predictions.map((p: { class: string }) => p.class)).toContain("dog");
    expect(output.annotated).toMatchObject({ kind: "numpy", shape: [expect.any(Number), expect.any(Number), 3] });
  });
});
