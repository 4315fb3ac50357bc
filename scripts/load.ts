/**
 * `npm run load -- [--connections 20] [--seconds 30] [--image path]`: starts the local stack in
 * its own process (npm start's), saves a one-step detection workflow, and keeps N connections
 * busy running it for the given time. Prints requests, errors, throughput, latency percentiles
 * and the server's RSS before and after. Loopback only; bounded in count and time.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { spawnLocalStack } from "@cvflow/local";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const { values } = parseArgs({
  options: {
    connections: { type: "string", default: "20" },
    seconds: { type: "string", default: "30" },
    image: { type: "string", default: join(root, "examples/images/dog.jpg") },
    port: { type: "string", default: "9021" },
  },
});
const connections = Number(values.connections);
const seconds = Number(values.seconds);
const port = Number(values.port);

const server = await spawnLocalStack({ port, env: { CVFLOW_S3_PORT: "0" } });
const { url, apiKey } = server;
const rssMb = (): number => {
  const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};

const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };
const specification = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "ObjectDetectionModel", name: "detection", image: "$inputs.image", model_id: "yolov8n-640" }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};
await fetch(`${url}/demo/createWorkflow`, { method: "POST", headers, body: JSON.stringify({ name: "load", url: "load-detection", config: { specification } }) });
const body = JSON.stringify({ inputs: { image: { type: "base64", value: readFileSync(values.image).toString("base64") } } });
const once = async (): Promise<number> => {
  const started = performance.now();
  const response = await fetch(`${url}/demo/workflows/load-detection`, { method: "POST", headers, body });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  return performance.now() - started;
};

await once(); // warm: sessions created, definition cached
const rssBefore = rssMb();
const latencies: number[] = [];
const errors: string[] = [];
const until = performance.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (performance.now() < until) {
      try {
        latencies.push(await once());
      } catch (error) {
        errors.push((error as Error).message);
      }
    }
  }),
);
const rssAfter = rssMb();
await server.stop();

latencies.sort((a, b) => a - b);
const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
console.log(
  JSON.stringify({
    connections,
    seconds,
    requests: latencies.length + errors.length,
    errors: errors.length,
    error_kinds: [...new Set(errors)],
    requests_per_s: Math.round((latencies.length / seconds) * 10) / 10,
    p50_ms: at(0.5),
    p90_ms: at(0.9),
    p99_ms: at(0.99),
    max_ms: Math.round(latencies.at(-1) ?? 0),
    server_rss_mb_before: Math.round(rssBefore),
    server_rss_mb_after: Math.round(rssAfter),
  }),
);
