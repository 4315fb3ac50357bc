/**
 * Finalize's aggregation of an image job: every image's results.json or failure.json, in manifest
 * order, into `aggregated_results.csv|jsonl` and `failures.jsonl`, streamed — a chunk of images
 * read at a time, many reads in flight, the files sent to S3 in parts (resumable-upload.ts) — so
 * that memory does not grow with the job. When an invocation's time runs short it keeps its
 * progress under `batches/{job}/finalize/` and answers undefined; the next invocation (the state
 * machine loops Finalize) goes on from there, and the files are byte for byte those one invocation
 * would write. Progress belongs to one execution: a restart's aggregation starts over.
 *
 * No listing of the output prefix: an image's results.json is read, and its failure.json only when
 * that is missing (failures are few; a listing of a million keys would be a thousand LISTs, each
 * 12.5 GETs' price, and a million names in memory).
 *
 * A CSV's header is every output name in the order first seen, known only at the end: the rows go
 * first to a JSONL of the documents (`finalize/results.jsonl`, which is the aggregation itself for
 * the JSONL format), streamed into the CSV once every document is read.
 */
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { DeleteObjectCommand, GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { JsonObjects } from "@cvflow/store";
import { aggregatedFile, batchKeys, FAILURE_FILE, FAILURES_FILE, RESULTS_FILE } from "./layout.js";
import type { ManifestItem } from "./manifest.js";
import { csvCell, csvLine, type FailureRecord, type ResultDocument } from "./output/index.js";
import { PART_BYTES, ResumableUpload, type UploadState } from "./resumable-upload.js";
import type { S3Location } from "./s3-location.js";

/**
 * GETs in flight. S3 serves thousands of GETs a second per prefix; at ~20 ms each, 128 in flight
 * read a million documents in ~160 s (16 took 1,250 s, past Finalize's 900 s). docs/scaling.md prices it.
 */
export const FINALIZE_READS_IN_FLIGHT = 128;
/** Images read between two looks at the time left: their documents are what memory holds. */
export const FINALIZE_CHUNK = 2_000;

export interface AggregationCounts {
  total: number;
  done: number;
  failed: number;
  /** Failures with a failure record (not `not_processed`). */
  failed_processed: number;
}

interface AggregationProgress extends AggregationCounts {
  execution: string | null;
  /** The manifest index read next; the manifest's length once every document is in the uploads. */
  next: number;
  /** The CSV's columns so far, in the order first seen. */
  columns: string[];
  /** The uploads' states; their unsent bytes are kept beside the progress, in the upload's bucket. */
  rows: UploadState;
  failures: UploadState;
}

export interface AggregationOptions {
  client: S3Client;
  /** The jobs' bucket, where the progress is kept. */
  bucket: string;
  job: string;
  execution: string | null;
  output: S3Location;
  format: "csv" | "jsonl";
  items: readonly ManifestItem[];
  /** True when this invocation should stop and let the next go on (asked between chunks). */
  timeShort: () => boolean;
  /** Tests only: smaller chunks and parts. */
  chunk?: number;
  partBytes?: number;
}

/** The counts once the files are written; undefined when the next invocation must go on. */
export async function aggregateImages(options: AggregationOptions): Promise<AggregationCounts | undefined> {
  const { client, bucket, job, output, items } = options;
  const keys = finalizeKeys(job);
  const objects = new JsonObjects(client, bucket);
  const outputs = new JsonObjects(client, output.bucket);
  const kept = (await objects.read<AggregationProgress>(keys.progress))?.value;
  if (kept && kept.execution !== options.execution) await dropProgress(client, bucket, kept, keys);
  const progress = kept?.execution === options.execution ? kept : undefined;
  const partBytes = options.partBytes ?? PART_BYTES;

  const rowsTarget =
    options.format === "jsonl"
      ? { bucket: output.bucket, key: output.key + aggregatedFile("jsonl"), contentType: "application/x-ndjson" }
      : { bucket, key: keys.staging, contentType: "application/x-ndjson" };
  const rows = progress ? await ResumableUpload.resume(client, progress.rows, keys.rowsTail, partBytes) : ResumableUpload.start(client, rowsTarget, keys.rowsTail, partBytes);
  const failures = progress
    ? await ResumableUpload.resume(client, progress.failures, keys.failuresTail, partBytes)
    : ResumableUpload.start(client, { bucket: output.bucket, key: output.key + FAILURES_FILE, contentType: "application/x-ndjson" }, keys.failuresTail, partBytes);
  const counts: AggregationCounts = progress ? pickCounts(progress) : { total: items.length, done: 0, failed: 0, failed_processed: 0 };
  const columns = new Set(progress?.columns ?? []);
  let next = progress?.next ?? 0;

  const save = async (): Promise<void> => {
    const state: AggregationProgress = { execution: options.execution, next, ...counts, columns: [...columns], rows: await rows.suspend(), failures: await failures.suspend() };
    await objects.write(keys.progress, state);
  };

  const chunk = options.chunk ?? FINALIZE_CHUNK;
  while (next < items.length) {
    const slice = items.slice(next, next + chunk);
    const documents = await readDocuments(outputs, output, slice);
    let rowText = "";
    let failureText = "";
    slice.forEach(({ image, source }, index) => {
      const document = documents[index];
      if (document && "outputs" in document) {
        counts.done++;
        for (const name of Object.keys(document.outputs)) columns.add(name);
        rowText += `${JSON.stringify(document)}\n`;
      } else {
        counts.failed++;
        if (document) counts.failed_processed++;
        const record = document ?? { image, source, code: "not_processed", message: "The image was not processed: its batch failed after its retries, or the job was stopped" };
        failureText += `${JSON.stringify({ image: record.image, source: record.source, code: record.code, message: record.message })}\n`;
      }
    });
    await rows.write(rowText);
    await failures.write(failureText);
    next += slice.length;
    if (next < items.length && options.timeShort()) {
      await save();
      return undefined;
    }
  }
  // Every document is in the uploads: kept first, so that an invocation retried after a completion
  // whose answer was lost goes straight to completing (ResumableUpload.complete is safe again).
  if (!progress || progress.next < items.length) await save();
  if (options.timeShort()) return undefined;
  await failures.complete();
  await rows.complete();
  if (options.format === "csv") await writeCsv(client, { bucket, key: keys.staging }, [...columns], { bucket: output.bucket, key: output.key + aggregatedFile("csv") }, keys.csvTail, partBytes);
  await dropProgress(client, bucket, undefined, keys);
  return counts;
}

/** Each item's results document, else its failure record, else undefined; many reads in flight. */
async function readDocuments(objects: JsonObjects, output: S3Location, items: readonly ManifestItem[]): Promise<(ResultDocument | FailureRecord | undefined)[]> {
  const found: (ResultDocument | FailureRecord | undefined)[] = new Array(items.length);
  let next = 0;
  const reader = async (): Promise<void> => {
    for (let index = next++; index < items.length; index = next++) {
      const folder = `${output.key}${items[index]!.image}/`;
      found[index] = (await objects.read<ResultDocument>(folder + RESULTS_FILE))?.value ?? (await objects.read<FailureRecord>(folder + FAILURE_FILE))?.value;
    }
  };
  await Promise.all(Array.from({ length: Math.min(FINALIZE_READS_IN_FLIGHT, items.length) }, reader));
  return found;
}

/** The CSV from the documents' JSONL, a line at a time: header, then a row per document (as csvRows writes them). */
async function writeCsv(client: S3Client, source: { bucket: string; key: string }, columns: readonly string[], target: { bucket: string; key: string }, tailKey: string, partBytes: number): Promise<void> {
  const csv = ResumableUpload.start(client, { ...target, contentType: "text/csv" }, tailKey, partBytes);
  const object = await client.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }));
  let text = csvLine(["image", ...columns]);
  for await (const line of createInterface({ input: object.Body as Readable, crlfDelay: Infinity })) {
    if (line.length === 0) continue;
    const result = JSON.parse(line) as ResultDocument;
    text += csvLine([result.image, ...columns.map((name) => csvCell(result.outputs[name], result.image))]);
    if (text.length >= 1 << 20) {
      await csv.write(text);
      text = "";
    }
  }
  await csv.write(text);
  await csv.complete();
  await client.send(new DeleteObjectCommand({ Bucket: source.bucket, Key: source.key }));
}

function finalizeKeys(job: string) {
  const prefix = batchKeys.finalize(job);
  return {
    progress: `${prefix}progress.json`,
    staging: `${prefix}results.jsonl`,
    rowsTail: `${prefix}rows.tail`,
    failuresTail: `${prefix}failures.tail`,
    csvTail: `${prefix}csv.tail`,
  };
}

/** Removes the progress (and, for another execution's, its unfinished uploads). */
async function dropProgress(client: S3Client, bucket: string, stale: AggregationProgress | undefined, keys: ReturnType<typeof finalizeKeys>): Promise<void> {
  if (stale) {
    await ResumableUpload.abort(client, stale.rows, keys.rowsTail);
    await ResumableUpload.abort(client, stale.failures, keys.failuresTail);
  }
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: keys.progress }));
}

function pickCounts({ total, done, failed, failed_processed }: AggregationCounts): AggregationCounts {
  return { total, done, failed, failed_processed };
}
