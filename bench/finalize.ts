/**
 * Finalize's aggregation at scale (issue 17): `node --import tsx bench/finalize.ts [N]` seeds N
 * results.json of ~1.5 KB under a job's output prefix on the local S3 server (in a process of its
 * own, bench/s3-child.ts, so that its request handling is not counted here), runs Finalize once
 * and prints one JSON line: its wall time, this process's CPU time and peak RSS, and its S3
 * requests by command. On loopback the server's own speed bounds the time; the CPU time per
 * GET is what carries over to a Lambda (docs/scaling.md).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createFinalize, S3BatchJobStore } from "@cvflow/batch";
import { createS3Client } from "@cvflow/store";

const N = Number(process.argv[2] ?? 20_000);
const BUCKET = "finalize-bench";
const dataDir = await mkdtemp(join(tmpdir(), "cvflow-finalize-bench-"));
const child = spawn(process.execPath, ["--import", "tsx", "bench/s3-child.ts", BUCKET, dataDir], { stdio: ["ignore", "pipe", "inherit"] });
const [line] = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((first) => [first.value as string]);
const s3 = JSON.parse(line!) as { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
const client = createS3Client({ ...s3, maxAttempts: 5 });
const requests: Record<string, number> = {};
client.middlewareStack.add((next, context) => (args) => ((requests[context.commandName!] = (requests[context.commandName!] ?? 0) + 1), next(args)), { step: "initialize", name: "benchCount" });

try {
  const name = (i: number) => `img-${String(i).padStart(7, "0")}`;
  const document = (i: number) => ({
    image: name(i),
    source: `s3://${BUCKET}/in/${name(i)}.jpg`,
    outputs: { count: 5, predictions: Array.from({ length: 5 }, (_, k) => ({ x: 100 + k, y: 200, width: 30, height: 40, confidence: 0.912, class: "bottle", class_id: 39, detection_id: `5f6e2a9c-1b2d-4c3e-9f8a-${String(i).padStart(12, "0")}` })), label: "shelf" },
  });
  let next = 0;
  const seeded = Date.now();
  await Promise.all(Array.from({ length: 32 }, async () => {
    for (let i = next++; i < N; i = next++) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `batches/bench/output/${name(i)}/results.json`, Body: JSON.stringify(document(i)) }));
  }));
  const seedMs = Date.now() - seeded;
  const jobs = new S3BatchJobStore(client, BUCKET);
  const items = Array.from({ length: N }, (_, i) => ({ image: name(i), source: `s3://${BUCKET}/in/${name(i)}.jpg` }));
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: "batches/bench/job.json", Body: JSON.stringify({ workspace: "ws", workflow: { specification: { version: "1.0", inputs: [], steps: [], outputs: [] } }, parameters: {}, image_input: "image", input: { manifest: items.map((item) => item.source) }, output_prefix: `s3://${BUCKET}/batches/bench/output/`, aggregation_format: "csv", save_image_outputs: false }) }));
  await jobs.writeManifest("bench", items);
  for (const key of Object.keys(requests)) delete requests[key];
  const finalize = createFinalize({ client, jobs });
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await finalize({ job: "bench", bucket: BUCKET, manifest_key: "batches/bench/manifest.json", map_results_prefix: "batches/bench/map-results/", total: N, batch_size: 10, max_concurrency: 20, tolerated_failure_percentage: 10, workflow_version_id: null, check_done: false, execution: "bench" });
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  console.log(JSON.stringify({ images: N, seed_ms: seedMs, finalize_ms: Math.round(ms), finalize_cpu_ms: Math.round((used.user + used.system) / 1000), cpu_us_per_image: Math.round((used.user + used.system) / N), rss_before_mb: Math.round(rssBefore / 2 ** 20), peak_rss_mb: Math.round(peak / 2 ** 20), requests }));
} finally {
  client.destroy();
  child.kill("SIGTERM");
  await rm(dataDir, { recursive: true, force: true }).catch(() => {});
}
