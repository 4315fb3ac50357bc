/**
 * Batch benchmark: the same images through the batch machinery and through plain loops, in one run.
 *
 * Light workflow (the batch tests' grayscale-and-size, 300 small JPEGs):
 * - sequential_images_per_s: `engine.run` one image after another (the baseline);
 * - cli_images_per_s: the directory CLI (2 threads); statemachine_images_per_s: the local stack's
 *   batch state machine (S3 server, trigger, Prepare, the emulated Distributed Map, Finalize).
 *
 * Detection (yolov8n-640; 300 JPEGs of 640-1280 px cut from ../shared/images photos):
 * - statemachine_vs_sequential_ratio: images/s of a detection job through the local state machine
 *   (batches of 10) over a plain in-process loop of `engine.run` on the same bytes. Target >= 0.80.
 * - worker_vs_model_bound_ratio: images/s of one worker (createBatchWorker, the Lambda's code) called
 *   on the 30 batches of 10 in turn, against a local S3 server in its own process (as S3 is not in
 *   the Lambda: its request handling stays off the worker's event loop), over the model-bound rate: 1 / the
 *   mean time of session.run on those images' letterboxed inputs (same session). Target >= 0.85.
 *
 * It writes the numbers the cost model reads (scripts/scaling.ts) to docs/scaling-measurements.json
 * ($CVFLOW_SCALING_JSON to write elsewhere). Its shape:
 *
 *   { measured_at, machine: {cpus, cpu_model, node, load_average_1m_at_start}, images, image_set, batch_size,
 *     detection_ms_per_image, detect_crop_classify_ms_per_image, worker_batch_ms: {mean, median, p90},
 *     s3_requests_per_image: {put, list, get, head, delete, other, precondition_failed} (S3RequestCounts),
 *     statemachine_vs_sequential_ratio, worker_vs_model_bound_ratio }
 *
 * *_ms_per_image: `engine.run` in-process, one image after another (models warm). worker_batch_ms:
 * one worker call on 10 images of detect → crop → classify (what an Express child lasts, less Step
 * Functions' own time). s3_requests_per_image: what the local S3 server counted from the detection
 * job's job.json upload to its end (trigger, Prepare, workers, Finalize), divided by the images.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Tensor } from "onnxruntime-node";
import sharp from "sharp";
import { createBatchWorker, S3BatchJobStore, type WorkerEvent } from "@cvflow/batch";
import { createWorkflowEngine } from "@cvflow/blocks";
import { processDirectory } from "@cvflow/cli";
import { countsBetween, startLocalStack, type S3RequestCounts } from "@cvflow/local";
import { createS3Client, S3BlobStore } from "@cvflow/store";
import { createVisionModels, type LocalVisionModels } from "@cvflow/vision";
import { lightWorkflow, photoVariants } from "../test/batch-fixtures.js";
import { median, round, type BenchResult } from "./measure.js";
import { DETECT_CROP_CLASSIFY_WORKFLOW, IMAGES_DIR, letterboxed, ONE_STEP_WORKFLOW } from "./vision.js";

/** $CVFLOW_BENCH_IMAGES for a quicker run while working; the numbers that count are on 300. */
const IMAGES = Number(process.env["CVFLOW_BENCH_IMAGES"] ?? 300);
const BATCH_SIZE = 10;
const DETECTOR = "yolov8n-640";
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const S3_CHILD = fileURLToPath(new URL("./s3-child.ts", import.meta.url));
const SCALING_JSON = process.env["CVFLOW_SCALING_JSON"] ?? fileURLToPath(new URL("../docs/scaling-measurements.json", import.meta.url));
/** Photos with things the detector finds, so that detect → crop → classify has crops to classify. */
const PHOTOS = ["bus.jpg", "zidane.jpg", "dog.jpg", "horses.jpg", "person.jpg", "roboflow/crowd.jpg", "roboflow/dogs.jpg", "roboflow/car.jpg", "roboflow/multi-fruit.jpg"];

export interface BatchBenchOptions {
  /** Default: the light workflow of the batch tests (grayscale, its size, a parameter). */
  specification?: Record<string, unknown>;
  batchSize?: number;
  /** Batches in flight; default 4 (two cores). */
  maxConcurrency?: number;
  /** Called with the requests the S3 server counted from the measured job's job.json to its end. */
  counted?: (counts: S3RequestCounts) => void;
}

/**
 * Runs one job over `images` through the local stack's batch state machine and answers images per
 * second, from the job.json upload to the end of its execution. A job over the first batch of
 * images runs first, unmeasured: it creates the worker's model sessions, as a warm Lambda has them.
 */
export async function batchImagesPerSecond(images: readonly Uint8Array[], options: BatchBenchOptions = {}): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "cvflow-bench-batch-"));
  const stack = await startLocalStack({ port: 0, s3Port: 0, dataDir, examplesDir: null, batch: { maxConcurrency: options.maxConcurrency ?? 4 } });
  const client = createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials });
  const bucket = stack.s3.bucket;
  try {
    await upload(client, bucket, "bench/warm-up/", images.slice(0, options.batchSize ?? BATCH_SIZE));
    await upload(client, bucket, "bench/images/", images);
    const run = async (name: string, prefix: string): Promise<void> => {
      const job = { workspace: stack.workspace, workflow: { specification: options.specification ?? lightWorkflow() }, input: { prefix: `s3://${bucket}/${prefix}` }, ...(options.batchSize ? { batch_size: options.batchSize } : {}) };
      const known = new Set(stack.batch.executions().map((execution) => execution.name));
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `batches/${name}/job.json`, Body: JSON.stringify(job) }));
      let execution: string | undefined;
      while (!(execution = stack.batch.executions().find((e) => !known.has(e.name))?.name)) await new Promise((resolve) => setTimeout(resolve, 10));
      const outcome = await stack.batch.wait(execution);
      if (outcome.status !== "SUCCEEDED") throw new Error(`the bench job ${name} ended ${outcome.status}: ${JSON.stringify(outcome.error)}`);
    };
    await run("warm-up", "bench/warm-up/");
    const before = stack.s3.requestCounts();
    const started = performance.now();
    await run("bench", "bench/images/");
    const rate = images.length / ((performance.now() - started) / 1000);
    options.counted?.(countsBetween(before, stack.s3.requestCounts()));
    return rate;
  } finally {
    client.destroy();
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function upload(client: S3Client, bucket: string, prefix: string, images: readonly Uint8Array[]): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < images.length; i = next++) await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${String(i).padStart(6, "0")}.jpg`, Body: images[i] }));
  };
  await Promise.all(Array.from({ length: 16 }, lane));
}

/** `count` JPEGs of 640 to 1280 px wide, cut and flipped from the shared photos. */
async function detectionImages(count: number): Promise<Buffer[]> {
  const photos = await Promise.all(PHOTOS.map(async (file) => ({ file, meta: await sharp(join(IMAGES_DIR, file)).metadata() })));
  return Promise.all(
    Array.from({ length: count }, (_, i) => {
      const { file, meta } = photos[i % photos.length]!;
      const width = meta.width!, height = meta.height!;
      // A tenth to a fifth cut off some edge, every other image mirrored: 300 different images.
      const cut = 0.1 + (i % 7) / 60;
      const cutX = Math.round(width * cut), cutY = Math.round(height * cut);
      let image = sharp(join(IMAGES_DIR, file)).extract({ left: i % 2 ? cutX : 0, top: i % 3 ? cutY : 0, width: width - cutX, height: height - cutY });
      if (i % 2) image = image.flop();
      return image.resize({ width: 640 + (i % 5) * 160, withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
    }),
  );
}

interface Spread {
  mean: number;
  median: number;
  p90: number;
}

function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((sum, v) => sum + v, 0) / samples.length;
  return { mean: round(mean, 1), median: round(median(samples), 1), p90: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!, 1) };
}

/** Per-image wall times of `engine.run` on each image in turn, after a few unmeasured runs. */
async function perImageMs(run: (image: Uint8Array) => Promise<unknown>, images: readonly Uint8Array[]): Promise<number[]> {
  for (const image of images.slice(0, 3)) await run(image);
  const times: number[] = [];
  for (const image of images) {
    const started = performance.now();
    await run(image);
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * 1 / the mean session.run time of the detector on the images' letterboxed inputs, in images/s.
 * As the engine runs it: one input buffer reused, the outputs and the letterboxed copy freed at
 * once (ArrayBuffer.prototype.transfer) — a fresh 4.9 MB input and 2.8 MB output per run kept V8's
 * collector busy on the other core during the runs, ~7 % slower runs than the engine's own.
 */
async function modelBoundImagesPerSecond(models: LocalVisionModels, images: readonly Buffer[]): Promise<number> {
  const spec = models.spec(DETECTOR);
  const lease = await models.sessions.lease(models.registry.file(spec, "model"));
  const free = (view: Float32Array): void => void (view.buffer as ArrayBuffer).transfer(0);
  try {
    const { session } = lease;
    const input = new Float32Array(3 * spec.input.height * spec.input.width);
    const run = async (image: Buffer): Promise<number> => {
      // Prepared one at a time (300 inputs of 4.9 MB would not be kept); only the runs are timed.
      const prepared = (await letterboxed(image, spec.input.width)).input;
      input.set(prepared);
      free(prepared);
      const started = performance.now();
      const results = await session.run({ [session.inputNames[0]!]: new Tensor("float32", input, [1, 3, spec.input.height, spec.input.width]) });
      const ms = performance.now() - started;
      for (const name of session.outputNames) free(results[name]!.data as Float32Array);
      return ms;
    };
    await run(images[0]!);
    let total = 0;
    for (const image of images) total += await run(image);
    return images.length / (total / 1000);
  } finally {
    lease.release();
  }
}

/**
 * One worker (the Lambda's code, one invocation at a time as one warm Lambda takes them) over the
 * images in batches of BATCH_SIZE, against a local S3 server: images/s over all, and each call's time.
 */
async function workerRun(models: LocalVisionModels, images: readonly Buffer[], specification: Record<string, unknown>): Promise<{ imagesPerSecond: number; batchMs: number[] }> {
  const bucket = "bench-worker";
  const dataDir = mkdtempSync(join(tmpdir(), "cvflow-bench-worker-"));
  const server = await s3ServerProcess(bucket, dataDir);
  const client = createS3Client(server.address);
  try {
    const engine = createWorkflowEngine({ models });
    const worker = createBatchWorker({ client, jobs: new S3BatchJobStore(client, bucket), blobs: new S3BlobStore(client, bucket), engine, models });
    await upload(client, bucket, "in/", images);
    const context = { getRemainingTimeInMillis: () => 600_000 };
    const batches = (job: string): WorkerEvent[] =>
      Array.from({ length: Math.ceil(images.length / BATCH_SIZE) }, (_, b) => ({
        BatchInput: { job, bucket },
        Items: images.slice(b * BATCH_SIZE, (b + 1) * BATCH_SIZE).map((_, i) => {
          const name = String(b * BATCH_SIZE + i).padStart(6, "0");
          return { image: name, source: `s3://${bucket}/in/${name}.jpg` };
        }),
      }));
    for (const job of ["warm-up", "bench"]) {
      const body = { workspace: "bench", workflow: { specification }, input: { prefix: `s3://${bucket}/in/` } };
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `batches/${job}/job.json`, Body: JSON.stringify(body) }));
      // What Prepare pins, and every worker call runs (job-workflow.ts).
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `batches/${job}/workflow.json`, Body: JSON.stringify({ version_id: null, specification }) }));
    }
    await worker(batches("warm-up")[0]!, context);
    const batchMs: number[] = [];
    const started = performance.now();
    for (const event of batches("bench")) {
      const t0 = performance.now();
      const report = await worker(event, context);
      if (report.processed !== event.Items.length) throw new Error(`the bench worker processed ${report.processed} of ${event.Items.length}: ${JSON.stringify(report)}`);
      batchMs.push(performance.now() - t0);
    }
    return { imagesPerSecond: images.length / ((performance.now() - started) / 1000), batchMs };
  } finally {
    client.destroy();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The local S3 server in a process of its own (bench/s3-child.ts). */
async function s3ServerProcess(bucket: string, dataDir: string): Promise<{ address: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } }; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ["--import", "tsx", S3_CHILD, bucket, dataDir], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("\n")) resolve(text.slice(0, text.indexOf("\n")));
    });
    child.once("exit", (code) => reject(new Error(`the S3 server process exited with ${code} before serving`)));
  });
  child.stdout.resume();
  return {
    address: JSON.parse(line) as { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } },
    stop: () => new Promise<void>((done) => (child.once("exit", () => done()), child.kill("SIGTERM"))),
  };
}

export async function* batchBench(): AsyncIterable<BenchResult> {
  const load = loadavg()[0]!;
  yield* lightBench();
  if (!existsSync(join(IMAGES_DIR, "bus.jpg")) || !existsSync(fileURLToPath(new URL("../models/yolov8n_int8.onnx", import.meta.url)))) {
    console.error(`batch bench: detection part skipped — needs ${IMAGES_DIR} (the shared photos) and the models (npm run models)`);
    return;
  }
  const images = await detectionImages(IMAGES);
  const models = createVisionModels();
  await models.preload([DETECTOR, "mobilenetv2-imagenet"]);
  const engine = createWorkflowEngine({ models });

  const detectionMs = await perImageMs((image) => engine.run(ONE_STEP_WORKFLOW, { image }), images);
  const sequential = images.length / (detectionMs.reduce((sum, ms) => sum + ms, 0) / 1000);
  const dccMs = await perImageMs((image) => engine.run(DETECT_CROP_CLASSIFY_WORKFLOW, { image }), images);
  const modelBound = await modelBoundImagesPerSecond(models, images);
  const worker = await workerRun(models, images, ONE_STEP_WORKFLOW);
  const dccWorker = await workerRun(models, images, DETECT_CROP_CLASSIFY_WORKFLOW);
  let counts: Partial<S3RequestCounts> = {};
  const stateMachine = await batchImagesPerSecond(images, { specification: ONE_STEP_WORKFLOW, batchSize: BATCH_SIZE, counted: (counted) => (counts = counted) });

  const smRatio = stateMachine / sequential;
  const workerRatio = worker.imagesPerSecond / modelBound;
  yield { metric: "detection_sequential_images_per_s", value: round(sequential, 1), unit: "images/s", target: null, images: images.length, load_average_1m_at_start: round(load, 2) };
  yield { metric: "detection_statemachine_images_per_s", value: round(stateMachine, 1), unit: "images/s", target: null, batch_size: BATCH_SIZE };
  yield { metric: "statemachine_vs_sequential_ratio", value: round(smRatio), unit: "ratio", target: ">= 0.80" };
  yield { metric: "model_bound_images_per_s", value: round(modelBound, 1), unit: "images/s", target: null };
  yield { metric: "worker_images_per_s", value: round(worker.imagesPerSecond, 1), unit: "images/s", target: null, batch_size: BATCH_SIZE };
  yield { metric: "worker_vs_model_bound_ratio", value: round(workerRatio), unit: "ratio", target: ">= 0.85" };
  yield { metric: "detect_crop_classify_ms_per_image", value: spread(dccMs).mean, unit: "ms", target: null };
  yield { metric: "worker_batch_ms", value: spread(dccWorker.batchMs).mean, unit: "ms", target: null, workflow: "detect-crop-classify", batch_size: BATCH_SIZE };

  const measurements = {
    measured_at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? "unknown", node: process.version, load_average_1m_at_start: round(load, 2) },
    images: images.length,
    image_set: `${images.length} JPEGs (quality 85) of 640-1280 px wide, cut and mirrored from ${PHOTOS.length} photos of ../shared/images`,
    batch_size: BATCH_SIZE,
    detection_ms_per_image: spread(detectionMs),
    detect_crop_classify_ms_per_image: spread(dccMs),
    worker_batch_ms: spread(dccWorker.batchMs),
    s3_requests_per_image: Object.fromEntries(Object.entries(counts).map(([kind, n]) => [kind, round(n / images.length, 4)])),
    statemachine_vs_sequential_ratio: round(smRatio),
    worker_vs_model_bound_ratio: round(workerRatio),
  };
  writeFileSync(SCALING_JSON, `${JSON.stringify(measurements, null, 2)}\n`);
}

/** The light workflow three ways on 300 small JPEGs: the state machine, the directory CLI, a plain loop. */
async function* lightBench(): AsyncIterable<BenchResult> {
  const variants = await photoVariants(IMAGES);
  const bytes = variants.map((variant) => variant.bytes);
  const specification = lightWorkflow();

  const engine = createWorkflowEngine();
  let started = performance.now();
  for (const image of bytes) await engine.run(specification, { image: { type: "base64", value: Buffer.from(image).toString("base64") } });
  const sequential = bytes.length / ((performance.now() - started) / 1000);

  const folder = mkdtempSync(join(tmpdir(), "cvflow-bench-dir-"));
  try {
    mkdirSync(join(folder, "in"));
    bytes.forEach((image, i) => writeFileSync(join(folder, "in", `${String(i).padStart(6, "0")}.jpg`), image));
    started = performance.now();
    const result = await processDirectory({ input: join(folder, "in"), output: join(folder, "out"), workflow: specification, threads: 2, engine });
    const cli = result.done / ((performance.now() - started) / 1000);
    const stateMachine = await batchImagesPerSecond(bytes, { specification });
    yield { metric: "sequential_images_per_s", value: round(sequential, 1), unit: "images/s", target: null, images: bytes.length };
    yield { metric: "cli_images_per_s", value: round(cli, 1), unit: "images/s", target: null, images: result.done };
    yield { metric: "statemachine_images_per_s", value: round(stateMachine, 1), unit: "images/s", target: null, images: bytes.length };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
