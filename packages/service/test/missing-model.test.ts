/**
 * A workflow whose model this server lacks: 503 model_not_installed (the request is sound, the
 * server is missing a file `npm run models` installs), through the service's error envelope, and
 * never a path on the machine.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createWorkflowEngine } from "@cvflow/blocks";
import { createVisionModels } from "@cvflow/vision";
import { KEYS, testService } from "./harness.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A models folder holding only a registry.json that lists these models (and none of their files). */
function modelsDir(models: { id: string; file: string }[] | null): string {
  const dir = mkdtempSync(join(tmpdir(), "cvflow-models-"));
  dirs.push(dir);
  const spec = ({ id, file }: { id: string; file: string }) => ({
    id,
    aliases: [],
    task: "object-detection",
    files: { model: file },
    input: { width: 640, height: 640 },
    preprocessing: { resize: "letterbox", pad: 114, scale: 1 / 255, channelOrder: "RGB" },
    decoder: "yolov8",
    dynamicBatch: false,
    classes: ["person"],
  });
  if (models) writeFileSync(join(dir, "registry.json"), JSON.stringify({ version: 1, models: models.map(spec) }));
  return dir;
}

const detection = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "ObjectDetectionModel", name: "detection", image: "$inputs.image", model_id: "yolov8n-640" }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};
// A 1x1 PNG: the model is looked up before any pixel is used.
const PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

async function runIn(dir: string) {
  const { call } = await testService({ engine: createWorkflowEngine({ models: createVisionModels({ modelsDir: dir }) }) });
  const response = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: detection, inputs: { image: { type: "base64", value: PIXEL } } } });
  const text = JSON.stringify(response.body);
  expect(text).not.toContain(dir);
  expect(text).not.toContain(tmpdir());
  return { status: response.statusCode, error: (response.body as { error: { code: string; message: string; status: number; details: Record<string, unknown> } }).error };
}

describe("a workflow whose model is not installed", () => {
  it("no models at all (no registry.json): 503 model_not_installed that says to run npm run models", async () => {
    const { status, error } = await runIn(modelsDir(null));
    expect(status).toBe(503);
    expect(error).toMatchObject({ code: "model_not_installed", status: 503 });
    expect(error.message).toMatch(/npm run models/);
  });

  it("a catalogued model the registry does not list: 503 naming the model and what is installed", async () => {
    const { status, error } = await runIn(modelsDir([{ id: "ultraface-320", file: "ultraface_rfb320.onnx" }]));
    expect(status).toBe(503);
    expect(error).toMatchObject({ code: "model_not_installed", details: { model_id: "yolov8n-640", available: ["ultraface-320"] } });
  });

  it("a listed model whose file is gone: 503 naming the file by its name only", async () => {
    const { status, error } = await runIn(modelsDir([{ id: "yolov8n-640", file: "yolov8n_int8.onnx" }]));
    expect(status).toBe(503);
    expect(error).toMatchObject({ code: "model_not_installed", details: { file: "yolov8n_int8.onnx" } });
    expect(error.message).toMatch(/Model file yolov8n_int8\.onnx is missing from the models folder/);
  });
});
