/**
 * A job (`batches/{job}/job.json`, docs/batch.md) and its validation. Every problem is listed at
 * once in a 400 `invalid_job`, each with the JSON pointer of the field at fault, as compile errors
 * are; what passes comes out normalized (defaults filled in, `{job}` placed in the output prefix).
 */
import { invalidJob, type JobIssue } from "./errors.js";
import { UPLOADS_PREFIX, uploadsOf, WORKFLOW_URL, WORKSPACE_NAME } from "@cvflow/store";
import { isRecord, type AggregationFormat, type BatchJobInput as JobInput, type BatchJobWorkflow as JobWorkflow } from "@cvflow/wire";
import { batchKeys, BATCHES_PREFIX } from "./layout.js";
import { parseS3Url } from "./s3-location.js";

/** What a job names, as the API takes it (@cvflow/wire). */
export type { AggregationFormat, JobInput, JobWorkflow };

export interface BatchJob {
  workspace: string;
  workflow: JobWorkflow;
  parameters: Record<string, unknown>;
  image_input: string;
  input: JobInput;
  /** `s3://bucket/prefix/`, always ending in `/`. */
  output_prefix: string;
  aggregation_format: AggregationFormat;
  save_image_outputs: boolean;
  batch_size?: number;
  max_concurrency?: number;
  /** Percent of images that may fail before the job ends `failed`; default the state machine's (10). */
  tolerated_failure_percentage?: number;
}

export const JOB_LIMITS = { manifestItems: 100_000, batchSize: 1000, maxConcurrency: 1000, segmentFrames: 100_000 } as const;

/**
 * Taken frames per segment of a video job when it says none. A segment is not resumed within, so
 * it must fit one worker run of 90 s (BATCH_TIMEOUTS, sized for an Express child) with room for
 * decoding and a cold start: yolov8n takes ~60 ms a frame on two cores, so 500 frames are ~30 s,
 * and a workflow three times as heavy still fits. One that needs more than a run's time fails its
 * child after the retries (a job may set `segment_frames` lower, or higher for a light workflow).
 */
export const DEFAULT_SEGMENT_FRAMES = 500;

/**
 * Areas of the service's own bucket a job may neither read nor write: API keys, workflows and the
 * trash. Of `uploads/` it reads its own workspace's only. Outputs under `batches/` must stay inside
 * the job's own folder.
 */
const RESERVED_PREFIXES = ["keys/", "workspaces/", "trash/"];
const FIELDS = ["workspace", "workflow", "parameters", "image_input", "input", "output_prefix", "aggregation_format", "save_image_outputs", "batch_size", "max_concurrency", "tolerated_failure_percentage"];

/** `raw` as a job of id `job` in `bucket` (the service's), or a 400 listing every problem. */
export function parseJob(raw: unknown, context: { job: string; bucket: string }): BatchJob {
  const issues = new Issues();
  const issue = issues.add;
  if (!isRecord(raw)) throw invalidJob([{ code: "invalid_job", message: "A job is a JSON object", pointer: "" }]);

  for (const field of Object.keys(raw)) if (!FIELDS.includes(field)) issue(`/${field}`, "unknown_field", `"${field}" is not a job field; the fields are ${FIELDS.join(", ")}`);

  const workspace = raw["workspace"];
  if (typeof workspace !== "string" || !WORKSPACE_NAME.test(workspace)) issue("/workspace", "invalid_workspace", `"workspace" must be a workspace name (${WORKSPACE_NAME.source})`);

  const workflow = parseWorkflow(raw["workflow"], issues);
  const parameters = raw["parameters"] ?? {};
  if (!isRecord(parameters)) issue("/parameters", "invalid_parameters", `"parameters" must be an object of the workflow's parameter values`);
  const imageInput = raw["image_input"] ?? "image";
  if (typeof imageInput !== "string" || imageInput === "") issue("/image_input", "invalid_image_input", `"image_input" must name the workflow's image input`);

  const input = parseInput(raw["input"], context.bucket, typeof workspace === "string" ? workspace : "", issues);
  const outputPrefix = parseOutputPrefix(raw["output_prefix"], context, issue);

  const format = raw["aggregation_format"] ?? "csv";
  if (format !== "csv" && format !== "jsonl") issue("/aggregation_format", "invalid_aggregation_format", `"aggregation_format" must be "csv" or "jsonl"`);
  const saveImages = raw["save_image_outputs"] ?? false;
  if (typeof saveImages !== "boolean") issue("/save_image_outputs", "invalid_save_image_outputs", `"save_image_outputs" must be true or false`);
  const batchSize = optionalCount(raw, "batch_size", JOB_LIMITS.batchSize, issue);
  const maxConcurrency = optionalCount(raw, "max_concurrency", JOB_LIMITS.maxConcurrency, issue);
  const tolerated = raw["tolerated_failure_percentage"] ?? undefined;
  if (tolerated !== undefined && (typeof tolerated !== "number" || !(tolerated >= 0 && tolerated <= 100))) {
    issue("/tolerated_failure_percentage", "invalid_tolerated_failure_percentage", `"tolerated_failure_percentage" must be a number from 0 to 100`);
  }

  if (issues.list.length > 0) throw invalidJob(issues.list);
  return {
    workspace: workspace as string,
    workflow: workflow!,
    parameters: parameters as Record<string, unknown>,
    image_input: imageInput as string,
    input: input!,
    output_prefix: outputPrefix!,
    aggregation_format: format as AggregationFormat,
    save_image_outputs: saveImages as boolean,
    ...(batchSize === undefined ? {} : { batch_size: batchSize }),
    ...(maxConcurrency === undefined ? {} : { max_concurrency: maxConcurrency }),
    ...(tolerated === undefined ? {} : { tolerated_failure_percentage: tolerated as number }),
  };
}

type Issue = (pointer: string, code: string, message: string) => undefined;

class Issues {
  readonly list: JobIssue[] = [];
  /** Always undefined, so that a parser can `return issue(…)`. */
  readonly add: Issue = (pointer, code, message) => void this.list.push({ code, message, pointer });
}

function parseWorkflow(value: unknown, issues: Issues): JobWorkflow | undefined {
  const issue = issues.add;
  const expected = `"workflow" must be a saved workflow {"workspace", "id", "version_id"?} or {"specification": {…}}`;
  if (!isRecord(value)) return issue("/workflow", "invalid_workflow_reference", expected);
  if ("specification" in value) {
    const extra = Object.keys(value).filter((key) => key !== "specification");
    if (extra.length > 0) return issue(`/workflow/${extra[0]}`, "unknown_field", `An inline workflow is {"specification": {…}} alone`);
    if (!isRecord(value["specification"])) return issue("/workflow/specification", "invalid_workflow", `"specification" must be a workflow definition (a JSON object)`);
    return { specification: value["specification"] };
  }
  const { workspace, id, version_id: versionId } = value;
  const mark = issues.list.length;
  if (typeof workspace !== "string" || !WORKSPACE_NAME.test(workspace)) issue("/workflow/workspace", "invalid_workspace", `${expected}; "workspace" is not a workspace name`);
  if (typeof id !== "string" || !WORKFLOW_URL.test(id)) issue("/workflow/id", "invalid_workflow_url", `${expected}; "id" is not a workflow url`);
  if (versionId !== undefined && (typeof versionId !== "string" || versionId === "")) issue("/workflow/version_id", "invalid_version_id", `"version_id" must be a version id string`);
  for (const key of Object.keys(value)) if (!["workspace", "id", "version_id"].includes(key)) issue(`/workflow/${key}`, "unknown_field", `"${key}" is not a field of a saved workflow reference`);
  if (issues.list.length > mark) return undefined;
  return versionId === undefined ? { workspace: workspace as string, id: id as string } : { workspace: workspace as string, id: id as string, version_id: versionId as string };
}

function parseInput(value: unknown, bucket: string, workspace: string, issues: Issues): JobInput | undefined {
  const unreadable = (key: string): boolean => reserved(key) || (key.startsWith(UPLOADS_PREFIX) && !key.startsWith(uploadsOf(workspace)));
  const issue = issues.add;
  const expected = `"input" must be {"prefix": "s3://bucket/prefix/"}, {"manifest": ["s3://bucket/key" or "https://…", …]} or {"video": "s3://bucket/key"}`;
  if (isRecord(value) && "video" in value) return parseVideoInput(value, bucket, unreadable, issues);
  if (!isRecord(value) || Object.keys(value).length !== 1 || !("prefix" in value || "manifest" in value)) return issue("/input", "invalid_input", expected);
  if ("prefix" in value) {
    const prefix = value["prefix"];
    const location = typeof prefix === "string" ? parseS3Url(prefix) : undefined;
    if (!location) return issue("/input/prefix", "invalid_input", `"prefix" must be an s3://bucket/prefix/ URL`);
    const key = location.key === "" || location.key.endsWith("/") ? location.key : `${location.key}/`;
    if (location.bucket === bucket && (key === "" || unreadable(key))) return issue("/input/prefix", "forbidden_location", forbiddenInput(prefix as string));
    return { prefix: `s3://${location.bucket}/${key}` };
  }
  const manifest = value["manifest"];
  if (!Array.isArray(manifest) || manifest.length === 0) return issue("/input/manifest", "invalid_input", `"manifest" must be a non-empty list of image sources`);
  if (manifest.length > JOB_LIMITS.manifestItems) return issue("/input/manifest", "too_many_images", `A manifest lists at most ${JOB_LIMITS.manifestItems} images; use an S3 prefix for more`);
  const mark = issues.list.length;
  manifest.forEach((source: unknown, index) => {
    const at = `/input/manifest/${index}`;
    if (typeof source !== "string") return issue(at, "invalid_source", "Each source is a string: s3://bucket/key or an http(s) URL");
    if (/^https?:\/\//i.test(source)) return URL.canParse(source) ? undefined : issue(at, "invalid_source", `"${source.slice(0, 100)}" is not a valid URL`);
    const location = parseS3Url(source);
    if (!location || location.key === "" || location.key.endsWith("/")) return issue(at, "invalid_source", `"${source.slice(0, 100)}" is neither s3://bucket/key nor an http(s) URL`);
    if (location.bucket === bucket && unreadable(location.key)) return issue(at, "forbidden_location", forbiddenInput(source));
    return undefined;
  });
  return issues.list.length === mark ? { manifest: manifest as string[] } : undefined;
}

/** `{"video": "s3://bucket/key", "max_fps"?, "segment_frames"?}`: the video is read as images are (the same bucket rules). */
function parseVideoInput(value: Record<string, unknown>, bucket: string, unreadable: (key: string) => boolean, issues: Issues): JobInput | undefined {
  const issue = issues.add;
  const mark = issues.list.length;
  for (const key of Object.keys(value)) if (!["video", "max_fps", "segment_frames"].includes(key)) issue(`/input/${key}`, "unknown_field", `"${key}" is not a field of a video input; its fields are video, max_fps, segment_frames`);
  const video = value["video"];
  const location = typeof video === "string" ? parseS3Url(video) : undefined;
  if (!location || location.key === "" || location.key.endsWith("/")) issue("/input/video", "invalid_source", `"video" must be an s3://bucket/key URL of a video file`);
  else if (location.bucket === bucket && unreadable(location.key)) issue("/input/video", "forbidden_location", forbiddenInput(video as string));
  const maxFps = value["max_fps"];
  if (maxFps !== undefined && (typeof maxFps !== "number" || !Number.isFinite(maxFps) || maxFps <= 0)) issue("/input/max_fps", "invalid_max_fps", `"max_fps" must be a number of frames per second above 0`);
  const segmentFrames = value["segment_frames"];
  if (segmentFrames !== undefined && (typeof segmentFrames !== "number" || !Number.isInteger(segmentFrames) || segmentFrames < 1 || segmentFrames > JOB_LIMITS.segmentFrames)) {
    issue("/input/segment_frames", "invalid_segment_frames", `"segment_frames" must be an integer from 1 to ${JOB_LIMITS.segmentFrames}`);
  }
  if (issues.list.length > mark) return undefined;
  return { video: video as string, ...(maxFps === undefined ? {} : { max_fps: maxFps as number }), segment_frames: (segmentFrames as number | undefined) ?? DEFAULT_SEGMENT_FRAMES };
}

function parseOutputPrefix(value: unknown, context: { job: string; bucket: string }, issue: Issue): string | undefined {
  if (value === undefined || value === null) return `s3://${context.bucket}/${batchKeys.output(context.job)}`;
  const location = typeof value === "string" ? parseS3Url(value.replaceAll("{job}", context.job)) : undefined;
  if (!location) return issue("/output_prefix", "invalid_output_prefix", `"output_prefix" must be an s3://bucket/prefix/ URL ("{job}" stands for the job's id)`);
  const key = location.key === "" || location.key.endsWith("/") ? location.key : `${location.key}/`;
  if (location.bucket === context.bucket) {
    const ownFolder = batchKeys.root(context.job);
    if (key === "" || reserved(key) || (key.startsWith(BATCHES_PREFIX) && !key.startsWith(ownFolder))) {
      return issue("/output_prefix", "forbidden_location", `In the service's bucket, outputs go below s3://${context.bucket}/${ownFolder} or outside ${[...RESERVED_PREFIXES, BATCHES_PREFIX].join(", ")}`);
    }
    if (key === ownFolder || key === batchKeys.mapResults(context.job)) return issue("/output_prefix", "forbidden_location", `s3://${context.bucket}/${key} holds the job's own files; use ${batchKeys.output(context.job)}`);
  }
  return `s3://${location.bucket}/${key}`;
}

function optionalCount(raw: Record<string, unknown>, field: string, max: number, issue: Issue): number | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) return issue(`/${field}`, `invalid_${field}`, `"${field}" must be an integer from 1 to ${max}`);
  return value;
}

function reserved(key: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => key.startsWith(prefix));
}

function forbiddenInput(source: string): string {
  return `${source.slice(0, 100)} is in an area of the service's bucket jobs may not read (${RESERVED_PREFIXES.join(", ")}, other workspaces' ${UPLOADS_PREFIX})`;
}
