/**
 * Service benchmark: `http_vs_inprocess_ratio` — the same one-step detection workflow run
 * through the local HTTP stack (its own process, as `npm start` runs it: gateway -> Lambda
 * handler -> service -> engine, a saved definition, JSON in and out) and through the engine in
 * this process, one request at a time, interleaved, on the same photos; the median of the
 * pairs' ratios (the ratio of the medians printed beside it). Target <= 1.10.
 */
import { readFileSync } from "node:fs";
import { createWorkflowEngine } from "@cvflow/blocks";
import { spawnLocalStack } from "@cvflow/local";
import { createVisionModels } from "@cvflow/vision";
import { median, round, type BenchResult } from "./measure.js";

const IMAGES = ["bus.jpg", "zidane.jpg", "dog.jpg", "horses.jpg", "person.jpg"].map((f) => new URL(`../../shared/images/${f}`, import.meta.url));
const ROUNDS = 6;

const specification = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "ObjectDetectionModel", name: "detection", image: "$inputs.image", model_id: "yolov8n-640" }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};

export async function* serviceBench(): AsyncIterable<BenchResult> {
  const photos = IMAGES.map((u) => ({ type: "base64", value: readFileSync(u).toString("base64") }));
  const stack = await spawnLocalStack({ port: 0, env: { CVFLOW_S3_PORT: "0" } });
  try {
    const headers = { authorization: `Bearer ${stack.apiKey}`, "content-type": "application/json" };
    await fetch(`${stack.url}/demo/createWorkflow`, { method: "POST", headers, body: JSON.stringify({ name: "bench", url: "bench", config: { specification } }) });
    const viaHttp = async (image: unknown): Promise<void> => {
      const response = await fetch(`${stack.url}/demo/workflows/bench`, { method: "POST", headers, body: JSON.stringify({ inputs: { image } }) });
      JSON.parse(await response.text());
      if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    };
    // The in-process engine gets its own model runtime, as a separate caller would.
    const engine = createWorkflowEngine({ models: createVisionModels() });
    const inProcess = async (image: unknown): Promise<void> => {
      JSON.stringify(await engine.run(specification, { image }));
    };
    for (const image of photos) {
      await viaHttp(image);
      await inProcess(image);
    }
    // Interleaved, so that load from elsewhere on the machine falls on both alike.
    const http: number[] = [];
    const local: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const image of photos) {
        let t0 = performance.now();
        await viaHttp(image);
        http.push(performance.now() - t0);
        t0 = performance.now();
        await inProcess(image);
        local.push(performance.now() - t0);
      }
    }
    // Back-to-back pairs: this machine's load swings within seconds, and falls on both runs of a pair alike.
    const paired = http.map((h, i) => h / local[i]!);
    yield { metric: "http_run_ms", value: round(median(http), 1), unit: "ms", target: null };
    yield { metric: "inprocess_run_ms", value: round(median(local), 1), unit: "ms", target: null };
    yield { metric: "http_vs_inprocess_ratio", value: round(median(paired)), unit: "ratio", target: "<= 1.10", runs: http.length, ratio_of_medians: round(median(http) / median(local)) };
  } finally {
    await stack.stop();
  }
}
