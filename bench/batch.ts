/**
 * Batch benchmark pieces: `batchImagesPerSecond` runs one job over the given images through the
 * local stack's batch state machine (S3 server, the trigger, Prepare, the emulated Distributed
 * Map over the worker handler, Finalize) and answers images per second, from the job.json upload
 * to the end of its execution.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createWorkflowEngine } from "@cvflow/blocks";
import { processDirectory } from "@cvflow/cli";
import { startLocalStack } from "@cvflow/local";
import { createS3Client } from "@cvflow/store";
import { lightWorkflow, photoVariants } from "../test/batch-fixtures.js";
import { round, type BenchResult } from "./measure.js";

export interface BatchBenchOptions {
  /** Default: the light workflow of the batch tests (grayscale, its size, a parameter). */
  specification?: Record<string, unknown>;
  batchSize?: number;
  /** Batches in flight; default 4 (two cores). */
  maxConcurrency?: number;
}

export async function batchImagesPerSecond(images: readonly Uint8Array[], options: BatchBenchOptions = {}): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), "cvflow-bench-batch-"));
  const stack = await startLocalStack({ port: 0, s3Port: 0, dataDir, examplesDir: null, batch: { maxConcurrency: options.maxConcurrency ?? 4 } });
  const client = createS3Client({ endpoint: stack.s3.endpoint, region: stack.s3.region, credentials: stack.s3.credentials });
  const bucket = stack.s3.bucket;
  try {
    let next = 0;
    const upload = async (): Promise<void> => {
      for (let i = next++; i < images.length; i = next++) await client.send(new PutObjectCommand({ Bucket: bucket, Key: `bench/images/${String(i).padStart(6, "0")}.jpg`, Body: images[i] }));
    };
    await Promise.all(Array.from({ length: 16 }, upload));
    const job = { workspace: stack.workspace, workflow: { specification: options.specification ?? lightWorkflow() }, input: { prefix: `s3://${bucket}/bench/images/` }, ...(options.batchSize ? { batch_size: options.batchSize } : {}) };
    const started = performance.now();
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: "batches/bench/job.json", Body: JSON.stringify(job) }));
    let execution: string | undefined;
    while (!(execution = stack.batch.executions()[0]?.name)) await new Promise((resolve) => setTimeout(resolve, 10));
    const outcome = await stack.batch.wait(execution);
    if (outcome.status !== "SUCCEEDED") throw new Error(`the bench job ended ${outcome.status}: ${JSON.stringify(outcome.error)}`);
    return images.length / ((performance.now() - started) / 1000);
  } finally {
    client.destroy();
    await stack.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The same 300 images and workflow three ways, in one run: the batch state machine (local),
 * the directory CLI's in-process loop (2 threads), and a plain sequential loop over the engine —
 * the baseline the other two are read against.
 */
export async function* batchBench(): AsyncIterable<BenchResult> {
  const variants = await photoVariants(300);
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
