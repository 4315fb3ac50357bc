/**
 * Runs a workflow in-process on every image of a folder and writes a batch job's output layout
 * (docs/batch.md) into another: per image `results.json` (and image outputs when asked), the
 * aggregation, this run's failures in `failed_files_<timestamp>.jsonl`, and the progress log that
 * lets a rerun skip what is done (and retry what failed, unless told to skip it too). `cvflow process-images-directory` is this function with a progress display.
 */
import { appendFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { failureRecord, failuresJsonl, uniqueImageNames, type FailureRecord } from "@cvflow/batch/output";
import { invalidArgument } from "@cvflow/sdk";
import type { WorkflowEngine } from "@cvflow/engine";
import { inputNotFound } from "../errors.js";
import { writeAggregation, type AggregationFormat } from "./aggregation.js";
import { findImages } from "./find-images.js";
import { imageRunner, type ImageRunner } from "./image-runner.js";
import { removeImageResult, writeImageResult } from "./image-results.js";
import { ProgressLog } from "./progress-log.js";
import type { Progress } from "./progress-display.js";

const DEFAULT_THREADS = 2;
/** Failures whose reasons the result carries (all are in the failures file). */
const FAILURE_SAMPLES = 5;

export interface ProcessDirectoryOptions {
  input: string;
  output: string;
  /** The definition, bare or wrapped as `{"specification": ...}`. */
  workflow: Record<string, unknown>;
  parameters?: Record<string, unknown>;
  /** The workflow input each image feeds; default "image". */
  imageInput?: string;
  /** Images in flight at once; default 2. */
  threads?: number;
  aggregationFormat?: AggregationFormat;
  saveImageOutputs?: boolean;
  /** Process every image again, ignoring (and restarting) the progress log. */
  forceReprocessing?: boolean;
  /** Skip the images an earlier run failed on too; by default they are retried. */
  skipFailed?: boolean;
  /** Stop starting images once this many have failed in this run. */
  maxFailures?: number;
  /** Default: the core blocks with the local ONNX models; pass one to reuse warm model sessions. */
  engine?: WorkflowEngine;
  /** Once the images are listed, before any is processed. */
  onStart?: (found: { images: number; pending: number; skipped: number; retried: number }) => void;
  onProgress?: (progress: Progress) => void;
}

export interface ProcessDirectoryResult {
  /** Images processed by this run, failed ones included. */
  images: number;
  done: number;
  failed: number;
  /** Done by an earlier run (or failed in one, with skipFailed), so not processed again. */
  skipped: number;
  /** Wall time of processing the images (not listing or aggregating them). */
  seconds: number;
  /** Whether --max-failures stopped the run before every image was processed. */
  stopped: boolean;
  /** The aggregation's file, in the output folder. */
  aggregated: string;
  /** This run's failures, in the output folder; null when none failed. */
  failures: string | null;
  /** The first few of this run's failures (image, source, code, message), in the order they happened. */
  failureSamples: FailureRecord[];
}

export async function processDirectory(options: ProcessDirectoryOptions): Promise<ProcessDirectoryResult> {
  const input = resolve(options.input);
  const output = resolve(options.output);
  if (!existsSync(input) || !statSync(input).isDirectory()) throw inputNotFound(input, options.input);
  if (output === input) throw invalidArgument("The output folder must not be the input folder");
  const run = imageRunner(options.workflow, { engine: options.engine, parameters: options.parameters, imageInput: options.imageInput, skipImageOutputs: !options.saveImageOutputs });
  mkdirSync(output, { recursive: true });

  const log = new ProgressLog(output);
  if (options.forceReprocessing) log.clear();
  const finished = log.read();
  const images = await findImages(input, output);
  const names = uniqueImageNames(images, input);
  const skip = (name: string) => finished.get(name) === "done" || (options.skipFailed === true && finished.get(name) === "failed");
  const pending = images.map((source, index) => ({ source, name: names[index]! })).filter(({ name }) => !skip(name));
  const retried = pending.filter(({ name }) => finished.get(name) === "failed").length;
  options.onStart?.({ images: images.length, pending: pending.length, skipped: images.length - pending.length, retried });

  const failuresFile = `failed_files_${new Date().toISOString().replace(/[:.]/g, "-")}.jsonl`;
  const counts = { done: 0, failed: 0 };
  const failureSamples: FailureRecord[] = [];
  const started = performance.now();
  const progress = (): Progress => ({ total: pending.length, ...counts, elapsedSeconds: (performance.now() - started) / 1000 });
  const stopping = () => options.maxFailures !== undefined && counts.failed >= options.maxFailures;

  let next = 0;
  const worker = async () => {
    while (next < pending.length && !stopping()) {
      const { source, name } = pending[next++]!;
      await processImage(run, output, source, name, Boolean(options.saveImageOutputs)).then(
        () => {
          log.append({ image: name, status: "done" });
          counts.done += 1;
        },
        async (error: unknown) => {
          await removeImageResult(output, name);
          const record = failureRecord(name, source, error);
          appendFileSync(join(output, failuresFile), failuresJsonl([record]));
          if (failureSamples.length < FAILURE_SAMPLES) failureSamples.push(record);
          log.append({ image: name, status: "failed" });
          counts.failed += 1;
        },
      );
      options.onProgress?.(progress());
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.threads ?? DEFAULT_THREADS) }, worker));
  const seconds = (performance.now() - started) / 1000;

  const done = [...log.read()].filter(([, status]) => status === "done").map(([name]) => name);
  const aggregated = writeAggregation(output, done, options.aggregationFormat ?? "csv");
  return {
    images: counts.done + counts.failed,
    ...counts,
    skipped: images.length - pending.length,
    seconds,
    stopped: counts.done + counts.failed < pending.length,
    aggregated,
    failures: counts.failed > 0 ? failuresFile : null,
    failureSamples,
  };
}

async function processImage(run: ImageRunner, output: string, source: string, name: string, saveImageOutputs: boolean): Promise<void> {
  const outputs = await run(await readFile(source));
  await writeImageResult(output, name, source, outputs, saveImageOutputs);
}
