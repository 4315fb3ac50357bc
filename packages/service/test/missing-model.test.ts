/**
 * A workflow whose model this server lacks: 503 model_not_installed (the request is sound, the
 * server is missing a file `npm run models` installs), through the service's error envelope, and
 * never a path on the machine.
 */
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createWorkflowEngine } from "@cvflow/blocks";
import { createVisionModels, ModelRegistry } from "@cvflow/vision";
import { examplePhoto, missing, MODELS_DIR } from "@cvflow/vision/test-assets";
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

interface Answer {
  status: number;
  error: { code: string; message: string; status: number; details: Record<string, unknown> };
  outputs: Record<string, unknown>[];
}

/** A service over the models in `dir`: `run` runs a specification on one image and checks that no path of the machine is in the answer. */
async function serviceOver(dir: string) {
  const { call } = await testService({ engine: createWorkflowEngine({ models: createVisionModels({ modelsDir: dir }) }) });
  return async (specification: unknown, image = PIXEL): Promise<Answer> => {
    const response = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification, inputs: { image: { type: "base64", value: image } } } });
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(dir);
    expect(text).not.toContain(tmpdir());
    expect(text).not.toContain(MODELS_DIR);
    const body = response.body as Partial<Answer>;
    return { status: response.statusCode, error: body.error!, outputs: body.outputs! };
  };
}

async function runIn(dir: string) {
  return (await serviceOver(dir))(detection);
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

const ocr = JSON.parse(readFileSync(new URL("../../../examples/ocr-label.workflow.json", import.meta.url), "utf8")) as unknown;

describe.skipIf(missing("an installed model that lost a file", { models: ["ppocr-v4"] }))("an installed model that lost a file", () => {
  it("OCR whose keys file is gone: 503 naming the file by its name only; once it is back, the same server reads the text", async () => {
    // A copy of the installed OCR model, registry.json as `npm run models` wrote it.
    const dir = mkdtempSync(join(tmpdir(), "cvflow-models-"));
    dirs.push(dir);
    copyFileSync(join(MODELS_DIR, "registry.json"), join(dir, "registry.json"));
    const files = ModelRegistry.load(MODELS_DIR).spec("ppocr-v4").files;
    for (const file of Object.values(files)) copyFileSync(join(MODELS_DIR, file), join(dir, file));
    const keys = files["keys"]!;
    renameSync(join(dir, keys), join(dir, `${keys}.away`));

    const run = await serviceOver(dir);
    const label = readFileSync(examplePhoto("care-label.jpg")).toString("base64");
    const { status, error } = await run(ocr, label);
    expect(status).toBe(503);
    expect(error).toMatchObject({ code: "model_not_installed", status: 503, details: { file: keys } });
    expect(error.message).toBe(`Step "ocr" failed: Model file ${keys} is missing from the models folder: the server's models are not installed (run \`npm run models\` there)`);

    // The failed read is not remembered: the file put back, the next request reads the label.
    renameSync(join(dir, `${keys}.away`), join(dir, keys));
    const restored = await run(ocr, label);
    expect(restored.status).toBe(200);
    expect(String(restored.outputs[0]!["text"]).replace(/\s+/g, "")).toContain("DRYFLAT");
  });
});
