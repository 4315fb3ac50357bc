/**
 * The worker: one batch of the Distributed Map (`{BatchInput, Items}`), within the deadline of its
 * Lambda invocation. Each image is read (S3 through the blob store, URLs through vision's safe
 * fetch), run through the workflow, and written as `{image}/results.json` (after its image
 * outputs, so that results.json marks an image done) or as `{image}/failure.json` when the image
 * itself is the problem (corrupt, missing, a workflow error) — never a failed batch for that.
 *
 * Idempotent without a LIST per image: results.json and failure.json are written with
 * `If-None-Match: *`, so of two runs of an image (a retry, an Express child run twice, a restart)
 * only the first write lands and the other is counted `skipped` (S3's 412). A batch that may have
 * been done before — a retry (`RetryCount` > 0) or a job run again (`check_done`, from Prepare) —
 * first asks S3 whether each image is done (HEAD), so that it does not compute it again. It
 * throws only for what a retry can fix — throttling, S3 5xx, its own deadline — as
 * cvflow.TransientError, after the images it finished are written.
 */
import { PutObjectCommand, S3ServiceException, type S3Client } from "@aws-sdk/client-s3";
import { internalError, WorkflowError, type CompiledWorkflow, type WorkflowEngine } from "@cvflow/engine";
import { ConditionFailed, JsonObjects, type BlobStore } from "@cvflow/store";
import { modelsOnImageInput } from "@cvflow/video";
import { openImageInput, WorkflowImage, type LocalVisionModels, type UrlPolicy } from "@cvflow/vision";
import { imageTimeout } from "./errors.js";
import type { FaultInjector } from "./fault-injector.js";
import { readImageBytes } from "./image-bytes.js";
import type { S3BatchJobStore } from "./job-store.js";
import { pinnedJobWorkflow } from "./job-workflow.js";
import { parseJob, type BatchJob } from "./job.js";
import { FAILURE_FILE, RESULTS_FILE } from "./layout.js";
import type { ManifestItem } from "./manifest.js";
import { imageDone } from "./output-listing.js";
import { failureRecord, imageOutputFiles, resultDocument } from "./output/index.js";
import { parseS3Url, type S3Location } from "./s3-location.js";
import { isTransient, retryable, TransientError } from "./transient-error.js";
import { replayablePart, runSegment } from "./video-segment.js";

/** What the ItemBatcher hands each worker. */
export interface WorkerEvent {
  /** `check_done`: the output prefix had documents when Prepare ran (a restart or a resubmission). */
  BatchInput: { job: string; bucket: string; check_done?: boolean };
  Items: ManifestItem[];
  /** `$$.State.RetryCount` of the Worker state: 0 on a batch's first attempt. */
  RetryCount?: number;
}

/** The worker's answer, which the map's ResultWriter keeps. */
export interface WorkerReport {
  job: string;
  images: number;
  processed: number;
  skipped: number;
  failed: number;
}

/** The part of the Lambda context the worker reads. */
export interface DeadlineContext {
  getRemainingTimeInMillis(): number;
}

export interface WorkerDependencies {
  client: S3Client;
  jobs: S3BatchJobStore;
  engine: WorkflowEngine;
  blobs: BlobStore;
  /** How URL sources are fetched. */
  url?: UrlPolicy;
  /** Kept from the invocation's remaining time to write what is done and answer; default 10 % of it, within 1–15 s. */
  marginMs?: number;
  /** The longest one image may take before it becomes a failure record; default 60 s. */
  imageTimeoutMs?: number;
  /**
   * Images run through the workflow at once. Default 4; 1 when the models are given and the
   * workflow runs one straight on its image: its session.run holds the main thread, so a second
   * run in flight only waits for it, while its own preparation takes cores from the run. Either
   * way the next images are read (and their models' inputs prepared) ahead of their runs, and
   * results are written while the next image runs.
   */
  concurrency?: number;
  /**
   * The models `engine` runs: given, the input of the next image for the models the workflow runs
   * straight on it is prepared (letterboxed by sharp, on libuv's pool) while the current image's
   * session.run holds the main thread — the video pipeline's overlap (prepareAhead). Without it
   * each image is prepared when its run reaches the model.
   */
  models?: LocalVisionModels;
  faults?: FaultInjector;
}

interface JobRuntime {
  jobId: string;
  job: BatchJob;
  plan: CompiledWorkflow;
  output: S3Location;
  /** A video job: the part of the workflow its segments run (video-segment.ts); undefined when no step is replayable. */
  segmentPart?: CompiledWorkflow | undefined;
  /** The models the workflow runs straight on its image input, whose inputs are prepared ahead. */
  preparedModels: string[];
}

type Outcome = "processed" | "skipped" | "failed";

/** An image's read under way: its input for the run, and the signals its run is held to (its own timeout started with the read). */
interface ImageInput {
  input: Promise<unknown>;
  signal: AbortSignal;
  ownTimeout: AbortSignal;
  timeoutMs: number;
}

/** "skipped": the image was done before (HEAD). */
type ImageRead = "skipped" | ImageInput;

export function createBatchWorker(deps: WorkerDependencies): (event: WorkerEvent, context: DeadlineContext) => Promise<WorkerReport> {
  let lastJob: { job: string; opening: Opening } | undefined;
  return async (event, context) => {
    const { BatchInput: input, Items: items } = event;
    const remaining = context.getRemainingTimeInMillis();
    const margin = deps.marginMs ?? Math.min(15_000, Math.max(1_000, remaining * 0.1));
    // Whole milliseconds: AbortSignal.timeout refuses a fraction, and the 10 % margin may have one.
    const deadline = AbortSignal.timeout(Math.max(0, Math.floor(remaining - margin)));
    const faults = await deps.faults?.forBatch(input.job, items[0]?.image ?? "", () => context.getRemainingTimeInMillis());
    const checkDone = input.check_done === true || (event.RetryCount ?? 0) > 0;
    // A first attempt's first images are read while the job loads: their bytes need nothing from it.
    // The first is opened and its models' inputs prepared as for the last batch of the same job this
    // worker ran (a guess, which readImage checks once the job is loaded): the first run waits less.
    const guess = lastJob?.job === input.job ? lastJob.opening : undefined;
    const early = checkDone ? [] : items.slice(0, 1 + READ_AHEAD).map((item, i) => (item.segment ? undefined : startRead(deps, item, deadline, i === 0 ? guess : undefined)));
    // Read for every batch (the engine keeps compiled plans): a job uploaded again may have changed.
    const runtime = await loadRuntime(deps, input).catch((error: unknown) => Promise.reject(retryable(error, `Loading job ${input.job}`)));
    lastJob = { job: input.job, opening: openingOf(runtime) };
    const report: WorkerReport = { job: input.job, images: items.length, processed: 0, skipped: 0, failed: 0 };
    await pipeline(items, deps.concurrency ?? (runtime.preparedModels.length > 0 ? 1 : 4), {
      // A video segment is read by its own run (video-segment.ts).
      read: (item, index) => (item.segment ? undefined : readImage(deps, runtime, item, deadline, checkDone, early[index])),
      prepare: (read) => prepareAhead(deps.models, runtime, read),
      run: async (item, read) => {
        if (deadline.aborted) throw new TransientError(`Job ${input.job}: the worker's deadline came with images of its batch left; a retry does the rest`);
        const { written } = read ? await processImage(deps, runtime, item, deadline, await read) : await runSegmentItem(deps, runtime, item, deadline);
        return {
          written: written.then((outcome) => {
            report[outcome]++;
            if (outcome !== "skipped") faults?.afterImage();
          }),
        };
      },
    });
    return report;
  };
}

async function loadRuntime(deps: WorkerDependencies, input: WorkerEvent["BatchInput"]): Promise<JobRuntime> {
  // workflow.json is read alongside job.json: it needs nothing from it.
  const pinning = deps.jobs.pinnedWorkflow(input.job);
  pinning.catch(() => undefined); // reported by pinnedJobWorkflow, unless job.json failed first
  const raw = await deps.jobs.readJob(input.job);
  if (raw === undefined) throw new Error(`Job ${input.job} has no job.json`);
  const job = parseJob(raw, { job: input.job, bucket: deps.jobs.bucket });
  const { plan, specification } = await pinnedJobWorkflow(input.job, job, deps, pinning);
  const preparedModels = deps.models ? modelsOnImageInput(plan, job.image_input) : [];
  const runtime: JobRuntime = { jobId: input.job, job, plan, output: parseS3Url(job.output_prefix)!, preparedModels };
  if ("video" in job.input) runtime.segmentPart = replayablePart(deps.engine, specification, plan);
  return runtime;
}

/**
 * An image's first stage, started ahead of its run: whether it is done already (only asked when
 * the batch may have been done before), else its bytes being read and opened (its header) for its
 * models. Throws only what a retry can fix (the HEAD failed); a failed read is the run's to report.
 */
async function readImage(deps: WorkerDependencies, runtime: JobRuntime, item: ManifestItem, deadline: AbortSignal, checkDone: boolean, started?: StartedRead): Promise<ImageRead> {
  try {
    if (checkDone && (await imageDone(deps.client, runtime.output, item.image))) return "skipped";
  } catch (error) {
    throw retryable(error, `Checking s3://${runtime.output.bucket}/${runtime.output.key}${item.image}/`);
  }
  const { bytes, opened, ...signals } = started ?? startRead(deps, item, deadline);
  const opening = openingOf(runtime);
  const input = opened?.imageInput === opening.imageInput ? opened.input : bytes.then((read) => openForModels(deps.models, opening, read));
  // Its failure is reported by the run that awaits it; an image never run (the batch failed first) leaves no unhandled rejection.
  input.catch(() => undefined);
  return { input, ...signals };
}

/** An image's bytes being read, and the signals its run is held to (its own timeout starts with the read). */
interface StartedRead extends Omit<ImageInput, "input"> {
  bytes: Promise<Uint8Array>;
  /** Opened, and its models' inputs being prepared, before the job was loaded: for the image input named. */
  opened?: { imageInput: string; input: Promise<unknown> };
}

/** What opening an image for its models needs from the job. */
interface Opening {
  imageInput: string;
  preparedModels: string[];
}

function openingOf(runtime: JobRuntime): Opening {
  return { imageInput: runtime.job.image_input, preparedModels: runtime.preparedModels };
}

function startRead(deps: WorkerDependencies, item: ManifestItem, deadline: AbortSignal, guess?: Opening): StartedRead {
  const timeoutMs = deps.imageTimeoutMs ?? 60_000;
  const ownTimeout = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([deadline, ownTimeout]);
  const bytes = readImageBytes(item.source, { blobs: deps.blobs, url: deps.url }, signal);
  bytes.catch(() => undefined); // the run reports it; a read whose batch failed to load is dropped
  const started: StartedRead = { bytes, signal, ownTimeout, timeoutMs };
  const { models } = deps;
  if (models && guess && guess.preparedModels.length > 0) {
    const input = bytes.then(async (read) => {
      const image = await openForModels(models, guess, read);
      if (image instanceof WorkflowImage) for (const modelId of guess.preparedModels) models.prepareAhead(modelId, image);
      return image;
    });
    input.catch(() => undefined);
    started.opened = { imageInput: guess.imageInput, input };
  }
  return started;
}

/** What a run answers once it is done: its documents being written, which the next run need not wait for. */
interface Ran {
  written: Promise<Outcome>;
}

/** The image run on its read input; its documents are then being written. */
async function processImage(deps: WorkerDependencies, runtime: JobRuntime, item: ManifestItem, deadline: AbortSignal, read: ImageRead): Promise<Ran> {
  if (read === "skipped") return { written: Promise.resolve("skipped") };
  const outcome = await runImage(deps, runtime, item, deadline, read);
  return { written: writeImage(deps, runtime, item, outcome) };
}

async function runSegmentItem(deps: WorkerDependencies, runtime: JobRuntime, item: ManifestItem, deadline: AbortSignal): Promise<Ran> {
  try {
    const outcome = await runSegment({ client: deps.client, engine: deps.engine, bucket: deps.jobs.bucket }, runtime.jobId, runtime.job, runtime.segmentPart, item, deadline);
    return { written: Promise.resolve(outcome) };
  } catch (error) {
    throw retryable(error, `Segment ${item.image} of job ${runtime.jobId}`);
  }
}

/** Writes the image's documents: its failure record, or its image outputs then results.json (which marks it done). */
async function writeImage(deps: WorkerDependencies, runtime: JobRuntime, item: ManifestItem, outcome: Record<string, unknown> | WorkflowError): Promise<Outcome> {
  const { client } = deps;
  const { job, output } = runtime;
  const folder = `${output.key}${item.image}/`;
  const documents = new JsonObjects(client, output.bucket);
  try {
    if (outcome instanceof WorkflowError) {
      return (await writeOnce(documents, folder + FAILURE_FILE, failureRecord(item.image, item.source, outcome))) ? "failed" : "skipped";
    }
    if (job.save_image_outputs) {
      for (const file of imageOutputFiles(outcome)) {
        await client.send(new PutObjectCommand({ Bucket: output.bucket, Key: folder + file.path, Body: file.bytes, ContentType: "image/jpeg" }));
      }
    }
    // Last: results.json is what marks the image done.
    return (await writeOnce(documents, folder + RESULTS_FILE, resultDocument(item.image, item.source, outcome, job.save_image_outputs))) ? "processed" : "skipped";
  } catch (error) {
    throw retryable(error, `Writing s3://${output.bucket}/${folder}`);
  }
}

/** Writes `value` unless `key` exists (If-None-Match: *); false when another run wrote it first. */
async function writeOnce(documents: JsonObjects, key: string, value: unknown): Promise<boolean> {
  try {
    await documents.write(key, value, { ifNoneMatch: "*" });
    return true;
  } catch (error) {
    if (error instanceof ConditionFailed) return false;
    throw error;
  }
}

/** The image's outputs, or the WorkflowError that makes it a failure record; throws what a retry may fix. */
async function runImage(deps: WorkerDependencies, runtime: JobRuntime, item: ManifestItem, deadline: AbortSignal, read: ImageInput): Promise<Record<string, unknown> | WorkflowError> {
  const { signal, ownTimeout, timeoutMs } = read;
  try {
    const image = await read.input;
    const result = await deps.engine.run(runtime.plan, { ...runtime.job.parameters, [runtime.job.image_input]: image }, { signal });
    return result.outputs[0] ?? {};
  } catch (error) {
    if (deadline.aborted) throw new TransientError(`The worker's deadline came while ${item.source} was running`, { cause: error });
    if (isTransient(error)) throw error;
    if (ownTimeout.aborted) return imageTimeout(timeoutMs);
    if (error instanceof WorkflowError) return error;
    if (error instanceof S3ServiceException) return new WorkflowError(error.name, `Reading ${item.source} failed: ${error.message}`, error.$metadata.httpStatusCode ?? 500, {});
    return internalError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * The image input opened (its header read), whose models' inputs prepareAhead can prepare; the
 * bytes as they are when there is nothing to prepare, or when they do not open — the run then
 * reports why, as for any image.
 */
async function openForModels(models: LocalVisionModels | undefined, opening: Opening, bytes: Uint8Array): Promise<unknown> {
  if (!models || opening.preparedModels.length === 0) return bytes;
  try {
    return await openImageInput(bytes, `/inputs/${opening.imageInput}`);
  } catch {
    return bytes;
  }
}

/** Starts preparing the models' inputs of an image read and opened (prepareAhead: sharp on libuv's pool), for its run to take. */
function prepareAhead(models: LocalVisionModels | undefined, runtime: JobRuntime, read: Promise<ImageRead> | undefined): void {
  if (!models || runtime.preparedModels.length === 0 || !read) return;
  void read.then(
    (image) => {
      if (image === "skipped") return;
      void image.input.then(
        (opened) => {
          if (!(opened instanceof WorkflowImage)) return;
          for (const modelId of runtime.preparedModels) models.prepareAhead(modelId, opened);
        },
        () => undefined, // the run reports it
      );
    },
    () => undefined,
  );
}

/**
 * Images read (GET, header) ahead of the runs. Each step of a read — the response, the header
 * read on libuv's pool, the resize — goes on only between two runs, as session.run holds the main
 * thread; three ahead, the next image is read and opened by the time the current run starts, and
 * its input is prepared (only the next one's: each holds a 4.9 MB buffer) during that run.
 */
const READ_AHEAD = 3;

/**
 * Runs `items` through `read` (where it has one) then `run`, at most `lanes` runs at once, in
 * order of start. Each item's read starts READ_AHEAD items before its run may; `run` answers once
 * the item's run is done, with its writes under way, which the lane does not wait for. The first
 * error stops new starts; the writes under way finish (they land or fail) before it is thrown.
 */
async function pipeline<R>(
  items: readonly ManifestItem[],
  lanes: number,
  stages: {
    read(item: ManifestItem, index: number): Promise<R> | undefined;
    /** Called once for each item's read, as the run of the item before it (or its own, the first) is about to start. */
    prepare(read: Promise<R> | undefined): void;
    run(item: ManifestItem, read: Promise<R> | undefined): Promise<{ written: Promise<void> }>;
  },
): Promise<void> {
  const reads: (Promise<R> | undefined)[] = [];
  const writes: Promise<void>[] = [];
  let next = 0;
  let prepared = 0;
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => void (failure ??= { error });
  const readUpTo = (end: number): void => {
    while (reads.length < Math.min(end, items.length)) {
      const reading = stages.read(items[reads.length]!, reads.length);
      reading?.catch(() => undefined); // thrown by the run that awaits it, if any
      reads.push(reading);
    }
  };
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const index = next++;
      readUpTo(index + lanes + READ_AHEAD);
      while (prepared < Math.min(index + lanes + 1, items.length)) stages.prepare(reads[prepared++]);
      try {
        const { written } = await stages.run(items[index]!, reads[index]);
        writes.push(written.catch(fail));
      } catch (error) {
        fail(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
  await Promise.all(writes);
  if (failure) throw failure.error;
}
