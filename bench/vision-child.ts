/**
 * A child process of the vision benchmark, started as `npm start` starts: `node --import tsx`.
 * - `cold PHOTO`: builds the engine, runs detect → crop → classify on the photo and prints the
 *   outputs as one JSON line (the parent times spawn → that line).
 * - `rss`: runs a workflow on every demo model (yolov8n-640, yolov8n-seg, mobilenetv2-imagenet,
 *   ppocr-v4), then prints {"maxRssMb", ...} as one JSON line.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createWorkflowEngine } from "@cvflow/blocks";
import { createVisionModels } from "@cvflow/vision";

const IMAGES_DIR = fileURLToPath(new URL("../../shared/images/", import.meta.url));
const image = (name: string) => ({ type: "base64", value: readFileSync(`${IMAGES_DIR}${name}`).toString("base64") });
const single = (step: Record<string, unknown>, outputs: Record<string, string>) => ({
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ name: "step", images: "$inputs.image", ...step }],
  outputs: Object.entries(outputs).map(([name, property]) => ({ type: "JsonField", name, selector: `$steps.step.${property}` })),
});

const [mode = "cold", photo = "bus.jpg"] = process.argv.slice(2);
const engine = createWorkflowEngine({ models: createVisionModels() });

if (mode === "cold") {
  // The same definition as the in-process benchmark (kept inline: importing vision.ts would load more).
  const definition = {
    version: "1.0",
    inputs: [{ type: "WorkflowImage", name: "image" }],
    steps: [
      { type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image", model_id: "yolov8n-640" },
      { type: "roboflow_core/dynamic_crop@v1", name: "crops", images: "$inputs.image", predictions: "$steps.detection.predictions" },
      { type: "roboflow_core/roboflow_classification_model@v2", name: "classification", images: "$steps.crops.crops", model_id: "mobilenetv2-imagenet", confidence: 0.05 },
    ],
    outputs: [
      { type: "JsonField", name: "detections", selector: "$steps.detection.predictions" },
      { type: "JsonField", name: "classes", selector: "$steps.classification.predictions" },
    ],
  };
  const { outputs } = await engine.run(definition, { image: image(photo) });
  process.stdout.write(`${JSON.stringify(outputs)}\n`);
} else if (mode === "rss") {
  const runs: [string, object, string][] = [
    ["yolov8n-640", single({ type: "roboflow_core/roboflow_object_detection_model@v2", model_id: "yolov8n-640" }, { predictions: "predictions" }), "bus.jpg"],
    ["yolov8n-seg-640", single({ type: "roboflow_core/roboflow_instance_segmentation_model@v2", model_id: "yolov8n-seg-640" }, { predictions: "predictions" }), "bus.jpg"],
    ["mobilenetv2-imagenet", single({ type: "roboflow_core/roboflow_classification_model@v2", model_id: "mobilenetv2-imagenet" }, { predictions: "predictions" }), "dog.jpg"],
    ["ppocr-v4", single({ type: "roboflow_core/ocr_model@v1" }, { text: "result", lines: "predictions" }), "ocr_care_label_en.jpg"],
  ];
  const sizes: Record<string, number> = {};
  for (const [model, definition, name] of runs) {
    const { outputs } = await engine.run(definition, { image: image(name) });
    sizes[model] = JSON.stringify(outputs).length;
  }
  const usage = process.resourceUsage();
  // maxRSS is in kilobytes.
  process.stdout.write(`${JSON.stringify({ maxRssMb: usage.maxRSS / 1024, rssNowMb: process.memoryUsage().rss / 2 ** 20, outputBytes: sizes })}\n`);
} else {
  throw new Error(`unknown mode ${mode}`);
}
