/**
 * S3 Sink: writes a step's text (CSV, JSON, plain text) to S3, as Roboflow's — each input an object
 * of its own (`separate_files`), or entries gathered into one object written whole after each
 * entry and started afresh every `max_entries_per_file` (`append_log`; the gathered entries kept
 * in the run's video state: one object per run, or per video in a pipeline, as Roboflow's block
 * instance keeps them). Keys are `{s3_prefix}/{file_name_prefix}_{timestamp}.{csv|json|jsonl|txt}`.
 *
 * Where it may write is the deployment's rule (s3-sink-settings.ts): without credentials of its
 * own, the deployment's bucket under its prefix or a bucket the deployment lists; with them, the
 * bucket named, with those credentials as given. A bucket refused, S3 refusing or failing, and
 * content that is not JSON where JSON is asked are reported in `error_status` and `message`, as
 * Roboflow's are; the run's cancellation or deadline fails the step.
 */
import { defineBlock, type BlockContext } from "@cvflow/engine";
import { sinksDisabled } from "../egress/egress.js";
import { invalidField, serviceNotConfigured } from "../errors.js";
import { redactSecrets, reveal } from "../secrets_providers/secret.js";
import { ALL_VIDEOS, stepState } from "../video/step-state.js";
import { appendLogEntry, maxEntries } from "./append-log.js";
import { S3_SINK_BUCKETS_VARIABLE, type S3SinkSettings } from "./s3-sink-settings.js";
import { DISABLED_BY_POLICY } from "./sink-results.js";

const TYPE = "roboflow_core/s3_sink@v1";

const CONTENT_TYPES: Record<string, string> = { csv: "text/csv", json: "application/json", jsonl: "application/x-ndjson", txt: "text/plain" };

interface S3SinkParams {
  [key: string]: unknown;
  content: string;
  file_type: "csv" | "json" | "txt";
  output_mode: "append_log" | "separate_files";
  bucket_name: string;
  s3_prefix: string;
  file_name_prefix: string;
  max_entries_per_file: number | string;
  aws_access_key_id: unknown;
  aws_secret_access_key: unknown;
  aws_region: string | null;
}

interface S3SinkResult {
  [key: string]: unknown;
  error_status: boolean;
  message: string;
}

/** What append_log gathers: the entries of the object being written and its key (without the deployment's prefix). */
interface AppendLog {
  entries: string[];
  key: string | null;
}

/** Where one write goes: the bucket, and what the key starts with there. */
interface Target {
  bucket: string;
  keyPrefix: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  region?: string;
}

let lastMicros = 0;

/**
 * Roboflow's `%Y_%m_%d_%H_%M_%S_%f`, in UTC (a Lambda's local time). Microseconds that only grow
 * in this process: two writes in the same microsecond still get two keys.
 */
export function keyTimestamp(): string {
  const nowMs = performance.timeOrigin + performance.now();
  const micros = Math.max(Math.floor(nowMs * 1000), lastMicros + 1);
  lastMicros = micros;
  const d = new Date(Math.floor(micros / 1000));
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}_${two(d.getUTCMonth() + 1)}_${two(d.getUTCDate())}_${two(d.getUTCHours())}_${two(d.getUTCMinutes())}_${two(d.getUTCSeconds())}_${String(micros % 1_000_000).padStart(6, "0")}`;
}

/** Roboflow's key: `{s3_prefix}/{file_name_prefix}_{timestamp}.{extension}`, trailing slashes of each dropped. */
function objectKey(s3Prefix: string, fileNamePrefix: string, extension: string): string {
  const file = `${fileNamePrefix.replace(/\/+$/, "")}_${keyTimestamp()}.${extension}`;
  return s3Prefix ? `${s3Prefix.replace(/\/+$/, "")}/${file}` : file;
}

function result(error_status: boolean, message: string): S3SinkResult {
  return { error_status, message };
}

/** The bucket and key prefix a step may write to, or why not. */
function targetOf(settings: S3SinkSettings, params: S3SinkParams): Target | string {
  const accessKeyId = reveal(params.aws_access_key_id) || undefined;
  const secretAccessKey = reveal(params.aws_secret_access_key) || undefined;
  const bucket = params.bucket_name ?? "";
  const region = params.aws_region ? { region: params.aws_region } : {};
  if (accessKeyId !== undefined || secretAccessKey !== undefined) {
    if (accessKeyId === undefined || secretAccessKey === undefined) return "aws_access_key_id and aws_secret_access_key go together: give both, or neither to write with the deployment's role";
    if (bucket === "") return "bucket_name is needed with credentials of the step's own";
    return { bucket, keyPrefix: "", credentials: { accessKeyId, secretAccessKey }, ...region };
  }
  if (bucket === "" || bucket === settings.bucket) return { bucket: settings.bucket, keyPrefix: settings.prefix, ...region };
  if (settings.allowedBuckets.includes(bucket)) return { bucket, keyPrefix: "", ...region };
  return (
    `This deployment does not write to bucket "${bucket}" with its own role. Give aws_access_key_id and aws_secret_access_key of an account that may, ` +
    `leave bucket_name out to write to the deployment's bucket (under ${settings.prefix}), or have the operator list it in ${S3_SINK_BUCKETS_VARIABLE}`
  );
}

/** The entry as append_log gathers it, or undefined for JSON content that does not parse. */
function appendedEntry(log: AppendLog, params: S3SinkParams, maxEntriesPerFile: number, extension: string): string | undefined {
  const starts = log.key === null || log.entries.length >= maxEntriesPerFile;
  const entry = appendLogEntry(params.content, params.file_type, !starts);
  if (entry !== undefined && starts) {
    log.entries = [];
    log.key = objectKey(params.s3_prefix, params.file_name_prefix, extension);
  }
  return entry;
}

async function write(ctx: BlockContext, settings: S3SinkSettings, target: Target, key: string, body: string, contentType: string): Promise<S3SinkResult> {
  try {
    await settings.put({
      bucket: target.bucket,
      key,
      body: new TextEncoder().encode(body),
      contentType,
      ...(target.credentials ? { credentials: target.credentials } : {}),
      ...(target.region ? { region: target.region } : {}),
      signal: ctx.signal,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return result(true, redactSecrets((error as Error).message, [target.credentials?.secretAccessKey, target.credentials?.accessKeyId]));
  }
  return result(false, `Data saved successfully to s3://${target.bucket}/${key}`);
}

export const s3SinkBlock = defineBlock<S3SinkParams>({
  manifest: {
    type: TYPE,
    name: "S3 Sink",
    description:
      "Upload text (CSV, JSON, plain text) to an S3 bucket: each input an object of its own (separate_files), or entries gathered into one object, " +
      "written whole after each entry, started afresh every max_entries_per_file (append_log; for a run, or a video in a pipeline). " +
      "Without credentials of its own a step writes with the deployment's role: to the deployment's bucket under its sink prefix (bucket_name left out, or that bucket's name), " +
      `or to a bucket the deployment lists in ${S3_SINK_BUCKETS_VARIABLE}; with aws_access_key_id and aws_secret_access_key (best from environment_secrets_store), to the bucket named, with those.`,
    family: "sinks",
    stateful: true,
    fields: {
      content: { description: "The text to write (a CSV formatter's csv_content, a JSON string, plain text); CSV entries in append_log carry their header.", kinds: ["string"], required: true },
      file_type: { description: "csv, json (jsonl in append_log: one document a line) or txt.", schema: { enum: ["csv", "json", "txt"] }, default: "csv" },
      output_mode: { description: "append_log: entries gathered into one object; separate_files: an object per input.", schema: { enum: ["append_log", "separate_files"] }, required: true },
      bucket_name: {
        description: "The bucket. Left out (or the deployment's bucket): the deployment's, under its sink prefix. Another needs the step's own credentials, or the deployment's listing.",
        kinds: ["string"],
        schema: { type: "string" },
        default: "",
      },
      s3_prefix: { description: "Key prefix (folder), trailing slashes dropped: logs/detections gives logs/detections/<file>.", kinds: ["string"], schema: { type: "string" }, default: "" },
      file_name_prefix: { description: "Start of each object's name, followed by _<timestamp> (UTC, YYYY_MM_DD_HH_MM_SS_microseconds).", kinds: ["string"], schema: { type: "string" }, default: "workflow_output" },
      max_entries_per_file: { description: "append_log: entries per object before a new one starts; at least 1.", kinds: ["string"], schema: { type: "integer", minimum: 1 }, default: 1024 },
      aws_access_key_id: { description: "With aws_secret_access_key: write with these credentials, as given. Left out: the deployment's role.", kinds: ["secret", "string"], schema: { type: ["string", "null"] }, default: null },
      aws_secret_access_key: { description: "See aws_access_key_id; best from environment_secrets_store.", kinds: ["secret", "string"], schema: { type: ["string", "null"] }, default: null },
      aws_region: { description: "The bucket's region; default the deployment's.", kinds: ["string"], schema: { type: ["string", "null"] }, default: null },
    },
    outputs: [
      { name: "error_status", kinds: ["boolean"] },
      { name: "message", kinds: ["string"] },
    ],
  },
  async run(params, ctx): Promise<S3SinkResult> {
    if (sinksDisabled(ctx)) return result(false, DISABLED_BY_POLICY);
    const settings = ctx.services.egress?.s3;
    if (!settings) throw serviceNotConfigured(TYPE, "the deployment's S3 settings (Egress.s3, which the API, runs and batch functions and the local stack give their engines)");
    if (typeof params.content !== "string") throw invalidField(`content must be text, got ${params.content === null ? "null" : typeof params.content}`);
    const target = targetOf(settings, params);
    if (typeof target === "string") return result(true, target);
    const put = (key: string, body: string, contentType: string): Promise<S3SinkResult> => write(ctx, settings, target, key, body, contentType);

    if (params.output_mode === "separate_files") {
      return put(target.keyPrefix + objectKey(params.s3_prefix, params.file_name_prefix, params.file_type), params.content, CONTENT_TYPES[params.file_type]!);
    }
    const extension = params.file_type === "json" ? "jsonl" : params.file_type;
    const maxEntriesPerFile = maxEntries(params.max_entries_per_file);
    const log = stepState<AppendLog>(ctx, ALL_VIDEOS, () => ({ entries: [], key: null }));
    const entry = appendedEntry(log, params, maxEntriesPerFile, extension);
    if (entry === undefined) return result(true, "Invalid JSON content");
    log.entries.push(entry);
    // The whole object each time: every entry is in S3 once its step answers, and a refusal shows at once.
    return put(target.keyPrefix + log.key!, log.entries.join(""), CONTENT_TYPES[extension]!);
  },
});
