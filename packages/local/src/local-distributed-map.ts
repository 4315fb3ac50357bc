/**
 * What aws-local-stepfunctions lacks of a Distributed Map, done here for the local runner: the
 * ItemReader (a JSON array in S3), the ItemBatcher (MaxItemsPerBatch[Path], BatchInput),
 * MaxConcurrency[Path], ToleratedFailurePercentage/Count[Path] and the ResultWriter (files laid out
 * as Step Functions writes them). Each batch runs the map's ItemProcessor as a child execution of
 * the library (`runChild`), so the Retry and TimeoutSeconds of its states are the library's.
 * Fields the batch definition does not use are refused rather than silently ignored.
 */
import { randomUUID } from "node:crypto";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { payloadTemplate, referencePath, StatesRuntimeError } from "./json-path.js";

export interface DistributedMapState {
  ItemReader?: { Resource: string; ReaderConfig?: { InputType?: string; MaxItems?: number; MaxItemsPath?: string }; Parameters?: unknown };
  ItemsPath?: string;
  ItemBatcher?: { MaxItemsPerBatch?: number; MaxItemsPerBatchPath?: string; BatchInput?: unknown; [field: string]: unknown };
  MaxConcurrency?: number;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: number;
  ToleratedFailureCountPath?: string;
  ResultWriter?: { Resource: string; Parameters?: unknown };
  [field: string]: unknown;
}

export interface ChildExecution {
  result: Promise<unknown>;
  abort(): void;
}

export interface DistributedMapRun {
  s3: S3Client;
  /** The map's ARN in results: `arn:…:mapRun:{stateMachine}/{state}:{id}`. */
  mapRunArnPrefix: string;
  /** The child execution of one batch (or item), named `name`. */
  runChild(input: unknown, name: string): ChildExecution;
  /** The Context Object, for `$$` paths. */
  context: unknown;
  /** Aborting stops new children and aborts running ones. */
  signal: AbortSignal;
  /** Children (by index) delivered twice at once, as Express may; the first run's outcome counts. */
  runTwice?: (child: number) => boolean;
}

/** Not emulated: a definition using them fails at once with this list, never half-works. */
const UNSUPPORTED = ["ItemSelector", "Parameters"];
/** When MaxConcurrency is 0 (Step Functions: "as many as it can", up to 10,000). */
const UNBOUNDED_CONCURRENCY = 10_000;

interface ChildOutcome {
  name: string;
  input: unknown;
  items: number;
  startDate: string;
  stopDate?: string;
  status: "SUCCEEDED" | "FAILED" | "ABORTED" | "PENDING";
  output?: unknown;
  error?: { Error: string; Cause: string };
}

export async function runDistributedMap(state: DistributedMapState, input: unknown, run: DistributedMapRun): Promise<unknown> {
  const batcher = state.ItemBatcher?.["MaxInputBytesPerBatch"] !== undefined || state.ItemBatcher?.["MaxInputBytesPerBatchPath"] !== undefined ? ["ItemBatcher.MaxInputBytesPerBatch[Path]"] : [];
  const unsupported = [...UNSUPPORTED.filter((field) => state[field] !== undefined), ...batcher];
  if (unsupported.length > 0) throw new StatesRuntimeError(`The local runner does not emulate ${unsupported.join(", ")} of a Distributed Map`);

  const items = await readItems(state, input, run);
  const children = childInputs(state, items, input, run.context);
  const concurrency = numberField(state, "MaxConcurrency", input, run.context) || UNBOUNDED_CONCURRENCY;
  const toleratedPercent = numberField(state, "ToleratedFailurePercentage", input, run.context);
  const toleratedCount = numberField(state, "ToleratedFailureCount", input, run.context);
  // Without either, no failure is tolerated; with both, passing either fails the map run.
  const exceeded = (failedItems: number): boolean =>
    toleratedPercent === undefined && toleratedCount === undefined
      ? failedItems > 0
      : (toleratedCount !== undefined && failedItems > toleratedCount) || (toleratedPercent !== undefined && (failedItems / items.length) * 100 > toleratedPercent);

  const outcomes: ChildOutcome[] = children.map((child, index) => ({ name: String(index), input: child.input, items: child.items, startDate: "", status: "PENDING" }));
  const running = new Set<ChildExecution>();
  let failedItems = 0;
  let stopped = false;
  const stopAll = (): void => {
    stopped = true;
    for (const child of running) child.abort();
  };
  run.signal.addEventListener("abort", stopAll, { once: true });
  let next = 0;
  const lane = async (): Promise<void> => {
    while (!stopped && next < outcomes.length) {
      const index = next++;
      const outcome = outcomes[index]!;
      outcome.startDate = new Date().toISOString();
      const child = run.runChild(outcome.input, outcome.name);
      running.add(child);
      // The second delivery's outcome is not the map's; it is awaited so its writes land before the map ends.
      const twin = run.runTwice?.(index) ? run.runChild(outcome.input, `${outcome.name}-again`) : undefined;
      if (twin) running.add(twin);
      try {
        outcome.output = await child.result;
        outcome.status = "SUCCEEDED";
      } catch (error) {
        outcome.status = stopped ? "ABORTED" : "FAILED";
        outcome.error = executionFailure(error);
        failedItems += outcome.items;
        if (!stopped && exceeded(failedItems)) stopAll();
      } finally {
        await twin?.result.catch(() => undefined);
        running.delete(child);
        if (twin) running.delete(twin);
        outcome.stopDate = new Date().toISOString();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, outcomes.length) }, lane));
  } finally {
    run.signal.removeEventListener("abort", stopAll);
  }
  run.signal.throwIfAborted();

  const mapRunArn = `${run.mapRunArnPrefix}:${randomUUID()}`;
  const result = state.ResultWriter ? await writeResults(state.ResultWriter, outcomes, mapRunArn, input, run) : outcomes.map((outcome) => outcome.output ?? null);
  // Step Functions writes the results of a failed map run too, then fails the state.
  if (exceeded(failedItems)) {
    const error = new Error(`${failedItems} of ${items.length} items failed, more than the map tolerates (${toleratedPercent ?? 0} %, ${toleratedCount ?? 0} items)`);
    error.name = "States.ExceedToleratedFailureThreshold";
    throw error;
  }
  return result;
}

async function readItems(state: DistributedMapState, input: unknown, run: DistributedMapRun): Promise<unknown[]> {
  const reader = state.ItemReader;
  let items: unknown;
  if (!reader) items = state.ItemsPath ? referencePath(state.ItemsPath, input, run.context) : input;
  else {
    if (reader.Resource !== "arn:aws:states:::s3:getObject" || reader.ReaderConfig?.InputType !== "JSON") {
      throw new StatesRuntimeError(`The local runner reads items from a JSON file in S3 only (arn:aws:states:::s3:getObject, InputType JSON)`);
    }
    const { Bucket, Key } = payloadTemplate(reader.Parameters ?? {}, input, run.context) as { Bucket?: string; Key?: string };
    const object = await run.s3.send(new GetObjectCommand({ Bucket, Key }));
    items = JSON.parse(await object.Body!.transformToString("utf-8"));
    const max = reader.ReaderConfig.MaxItems ?? (reader.ReaderConfig.MaxItemsPath ? Number(referencePath(reader.ReaderConfig.MaxItemsPath, input, run.context)) : undefined);
    if (Array.isArray(items) && max !== undefined) items = items.slice(0, max);
  }
  if (!Array.isArray(items)) throw new StatesRuntimeError("The map's items are not a JSON array");
  return items;
}

/** One child input per batch (`{BatchInput, Items}`), or per item without an ItemBatcher. */
function childInputs(state: DistributedMapState, items: unknown[], input: unknown, context: unknown): { input: unknown; items: number }[] {
  const batcher = state.ItemBatcher;
  if (!batcher) return items.map((item) => ({ input: item, items: 1 }));
  const size = batcher.MaxItemsPerBatch ?? (batcher.MaxItemsPerBatchPath ? Number(referencePath(batcher.MaxItemsPerBatchPath, input, context)) : undefined);
  if (size === undefined || !Number.isInteger(size) || size < 1) throw new StatesRuntimeError(`MaxItemsPerBatch must be a positive integer; got ${String(size)}`);
  const batchInput = batcher.BatchInput === undefined ? undefined : payloadTemplate(batcher.BatchInput, input, context);
  const batches: { input: unknown; items: number }[] = [];
  for (let start = 0; start < items.length; start += size) {
    const slice = items.slice(start, start + size);
    batches.push({ input: batchInput === undefined ? { Items: slice } : { BatchInput: batchInput, Items: slice }, items: slice.length });
  }
  return batches;
}

/** `field` or, through `fieldPath`, the number it selects; undefined when neither is set. */
function numberField(state: DistributedMapState, field: string, input: unknown, context: unknown): number | undefined {
  const value = state[field] ?? (typeof state[`${field}Path`] === "string" ? referencePath(state[`${field}Path`] as string, input, context) : undefined);
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new StatesRuntimeError(`${field} must be a non-negative number; got ${JSON.stringify(value)}`);
  return value;
}

/**
 * As Step Functions lays them out: `{Prefix}/{map run id}/SUCCEEDED_0.json`, `FAILED_0.json`,
 * `PENDING_0.json` (arrays of child executions) and `manifest.json` listing them; the map's
 * output is where that manifest is.
 */
async function writeResults(writer: NonNullable<DistributedMapState["ResultWriter"]>, outcomes: ChildOutcome[], mapRunArn: string, input: unknown, run: DistributedMapRun): Promise<unknown> {
  if (writer.Resource !== "arn:aws:states:::s3:putObject") throw new StatesRuntimeError("The local runner writes map results to S3 only (arn:aws:states:::s3:putObject)");
  const { Bucket: bucket, Prefix: prefix = "" } = payloadTemplate(writer.Parameters ?? {}, input, run.context) as { Bucket: string; Prefix?: string };
  const folder = `${prefix.replace(/\/+$/, "")}${prefix ? "/" : ""}${mapRunArn.slice(mapRunArn.lastIndexOf(":") + 1)}/`;
  const files: Record<"SUCCEEDED" | "FAILED" | "PENDING", { Key: string; Size: number }[]> = { SUCCEEDED: [], FAILED: [], PENDING: [] };
  for (const status of ["SUCCEEDED", "FAILED", "PENDING"] as const) {
    const entries = outcomes.filter((outcome) => (status === "FAILED" ? outcome.status === "FAILED" || outcome.status === "ABORTED" : outcome.status === status)).map((outcome) => entry(outcome, mapRunArn));
    if (entries.length === 0) continue;
    const body = JSON.stringify(entries);
    const key = `${folder}${status}_0.json`;
    await run.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "application/json" }));
    files[status].push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${folder}manifest.json`;
  await run.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: manifestKey, Body: JSON.stringify({ DestinationBucket: bucket, MapRunArn: mapRunArn, ResultFiles: files }), ContentType: "application/json" }),
  );
  return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: manifestKey } };
}

function entry(outcome: ChildOutcome, mapRunArn: string): Record<string, unknown> {
  return {
    ExecutionArn: `${mapRunArn.replace(":mapRun:", ":execution:")}:${outcome.name}`,
    Name: outcome.name,
    Input: JSON.stringify(outcome.input),
    Status: outcome.status,
    ...(outcome.startDate ? { StartDate: outcome.startDate } : {}),
    ...(outcome.stopDate ? { StopDate: outcome.stopDate } : {}),
    ...(outcome.status === "SUCCEEDED" ? { Output: JSON.stringify(outcome.output ?? null) } : {}),
    ...(outcome.error ?? {}),
  };
}

/** An execution's failure as Step Functions reports it: the error's name, and its message as the cause. */
export function executionFailure(error: unknown): { Error: string; Cause: string } {
  // aws-local-stepfunctions wraps the state's error in an ExecutionError whose cause it is.
  const inner = error instanceof Error && error.name === "ExecutionError" && error.cause instanceof Error ? error.cause : error;
  return inner instanceof Error ? { Error: inner.name, Cause: inner.message } : { Error: "States.Runtime", Cause: String(inner) };
}
