/** CvflowClient: every route of docs/api.md as a typed method. */
import { bytesToBase64, isRecord, LARGE_RESPONSE_HEADER, RUN_ID_HEADER, unwrapSpecification } from "@cvflow/wire";
import type { BatchJobList, DeletedWorkflow, InterfaceDescription, RestoredWorkflow, RunEvent, RunInputs, RunRecord, RunResponse, TaggedWorkflow, TokenResponse, TrashList, UploadResponse, VersionList, WhoAmI, WorkflowList } from "@cvflow/wire";
import { invalidArgument, invalidResponse } from "./errors.js";
import { base64Length, prepareImage, sniffContentType, type PreparedImage } from "./images.js";
import { resolveOffloadedImages } from "./offloaded-images.js";
import { streamRunEvents, type StreamEventsOptions } from "./event-stream.js";
import { Transport } from "./transport.js";
import type {
  BatchJobRequest,
  BatchJobResults,
  BatchJobStatus,
  BatchJobSubmitted,
  BlocksDescription,
  CvflowClientOptions,
  DefinitionSchema,
  EtagOption,
  ForkOptions,
  Health,
  Identity,
  ImageInput,
  ListRunsOptions,
  NewWorkflow,
  RunList,
  RunNowaitOptions,
  RunOptions,
  RunResult,
  SavedWorkflow,
  Specification,
  TrashedWorkflow,
  Upload,
  ValidationResult,
  WorkflowChanges,
  WorkflowInterface,
  WorkflowSummary,
  WorkflowTarget,
  WorkflowToken,
  WorkflowVersion,
  WorkflowVersionWithSpecification,
  WorkflowWithSpecification,
} from "./types.js";

/**
 * Base64 text a run request may carry inline. Requests over 6 MB are refused (413), so past this
 * the largest images go through POST /uploads, leaving room for the definition and parameters.
 */
export const INLINE_IMAGES_LIMIT = 5 * 1024 * 1024;

const DEFAULT_TIMEOUT_MS = 60_000;

/** The header of a run request that makes a repeated request give the same run. */
export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";

export class CvflowClient {
  readonly #transport: Transport;
  readonly #timeoutMs: number;

  constructor(options: CvflowClientOptions) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#transport = new Transport({
      baseUrl: options.baseUrl,
      credential: options.token || options.apiKey,
      // Called unbound: a browser's fetch refuses any `this` but the window ("Illegal invocation").
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      timeoutMs: this.#timeoutMs,
    });
  }

  // ── running ──────────────────────────────────────────────────────────────

  /**
   * Runs and answers the outputs. A response that would pass 6 MB is asked for with its images
   * offloaded to S3; they are fetched back here, so outputs always carry `{"type": "base64"}` images.
   */
  async runWorkflow(target: WorkflowTarget, options: RunOptions = {}): Promise<RunResult> {
    const { path, body, headers: sent } = await this.runRequest(target, options, "sync");
    if (options.enableProfiling !== undefined) body["enable_profiling"] = options.enableProfiling;
    const { body: answer, headers } = await this.#transport.json<RunResponse>("POST", path, {
      body,
      headers: { ...sent, [LARGE_RESPONSE_HEADER]: "offload" },
    });
    await resolveOffloadedImages(answer.outputs, headers, (url, what) => this.#transport.bytes(url, what));
    const runId = headers.get(RUN_ID_HEADER);
    return { outputs: answer.outputs, ...(answer.profiler_trace ? { profilerTrace: answer.profiler_trace } : {}), ...(runId ? { runId } : {}) };
  }

  // ── runs that outlive the request (docs/runs.md) ─────────────────────────

  /** Starts the run and answers its record (status `queued` or further) at once; follow it with streamEvents. */
  async runNowait(target: WorkflowTarget, options: RunNowaitOptions = {}): Promise<RunRecord> {
    const { path, body, headers } = await this.runRequest(target, options, "async");
    if (options.notificationUrl !== undefined) body["notification_url"] = options.notificationUrl;
    if (options.limitMs !== undefined) body["limit_ms"] = options.limitMs;
    return (await this.#transport.json<RunRecord>("POST", path, { body, headers })).body;
  }

  /** The run's record; a finished run's `outputs` are in it. */
  getRun(runId: string): Promise<RunRecord> {
    return this.get(`/runs/${segment(runId)}`);
  }

  /**
   * The inputs an async run was given: parameters and base64 or URL images as sent, uploads as
   * `{"type": "url"}` presigned GETs (readable by a browser for an hour). A sync run keeps none:
   * CvflowError 404 `run_inputs_not_kept`.
   */
  runInputs(runId: string): Promise<RunInputs> {
    return this.get(`/runs/${segment(runId)}/inputs`);
  }

  /** The runs of the key's workspace, newest first, a page at a time. */
  listRuns(options: ListRunsOptions = {}): Promise<RunList> {
    const query = new URLSearchParams();
    const statuses = [options.status ?? []].flat();
    if (statuses.length > 0) query.set("status", statuses.join(","));
    if (options.workflow !== undefined) query.set("workflow", options.workflow);
    if (options.from !== undefined) query.set("from", new Date(options.from).toISOString());
    if (options.to !== undefined) query.set("to", new Date(options.to).toISOString());
    if (options.limit !== undefined) query.set("limit", String(options.limit));
    if (options.cursor !== undefined) query.set("cursor", options.cursor);
    const text = query.toString();
    return this.get(`/runs${text ? `?${text}` : ""}`);
  }

  /**
   * The run's events in order, live, until its `run_finished` event (with `follow: false`, those
   * the log holds now); a dropped connection is reopened after the last event seen
   * (Last-Event-ID), so none is missed or repeated.
   */
  streamEvents(runId: string, options: StreamEventsOptions = {}): AsyncGenerator<RunEvent> {
    const path = `/runs/${segment(runId)}/events${options.follow === false ? "?follow=false" : ""}`;
    const open = (headers: Record<string, string>, signal: AbortSignal) => this.#transport.open(path, { accept: "text/event-stream", ...headers }, signal);
    return streamRunEvents(runId, open, this.#timeoutMs, options);
  }

  /** Follows the run to its end and answers its finished record, outputs included. */
  async waitForRun(runId: string, options: Pick<StreamEventsOptions, "signal"> = {}): Promise<RunRecord> {
    for await (const _event of this.streamEvents(runId, options)) {
      // The events only say when the run ended; the record has the rest.
    }
    options.signal?.throwIfAborted();
    return this.getRun(runId);
  }

  /** Answers the run's waiting `cvflow/wait_for_input@v1` step (the answer must match its `schema`). */
  answer(runId: string, answer: unknown): Promise<RunRecord> {
    return this.post(`/runs/${segment(runId)}/input`, { answer });
  }

  /**
   * Answers the waiting step as LlamaIndex's client does: `POST /events/{id}` with the answer as a
   * HumanResponseEvent's value (docs/runs.md, LlamaIndex workflow server). Checked as `answer` is.
   */
  sendEvent(runId: string, answer: unknown): Promise<{ status: "sent" }> {
    return this.post(`/events/${segment(runId)}`, { event: { type: "HumanResponseEvent", value: answer } });
  }

  /** Stops the run's steps within a second; the record says `cancelled`. A finished run is left as it is. */
  cancel(runId: string): Promise<RunRecord> {
    return this.post(`/runs/${segment(runId)}/cancel`, {});
  }

  /** A new attempt of a failed, cancelled or timed-out run, reusing the outputs of the steps that succeeded. */
  retry(runId: string): Promise<RunRecord> {
    return this.post(`/runs/${segment(runId)}/retry`, {});
  }

  /** Deletes the run's record and events (cancelling it first if it still runs). */
  async deleteRun(runId: string): Promise<void> {
    await this.#transport.json("DELETE", `/runs/${segment(runId)}`);
  }

  /** A presigned upload slot (POST /uploads); runWorkflow uses it by itself for large images. */
  async createUpload(contentType = "image/jpeg"): Promise<Upload> {
    const answer = await this.post<UploadResponse>("/uploads", { content_type: contentType });
    return { uploadUrl: answer.upload_url, expiresAt: answer.expires_at, image: answer.image };
  }

  /** Uploads image bytes and returns the `{"type": "s3"}` input that names them. */
  async uploadImage(bytes: Uint8Array, contentType = sniffContentType(bytes)): Promise<ImageInput> {
    const upload = await this.createUpload(contentType);
    await this.#transport.put(upload.uploadUrl, bytes, contentType);
    return upload.image;
  }

  // ── definitions and blocks ───────────────────────────────────────────────

  /** Resolves when the definition compiles; a CvflowError `invalid_workflow` lists every problem in `details.errors`. */
  validate(specification: Specification): Promise<ValidationResult> {
    return this.post("/workflows/validate", { specification: bareSpecification(specification) });
  }

  async describeInterface(target: Specification | { workspace: string; workflowId: string }): Promise<WorkflowInterface> {
    const answer = isSavedWorkflow(target)
      ? await this.post<InterfaceDescription>(`/${segment(target.workspace)}/workflows/${segment(target.workflowId)}/describe_interface`, {})
      : await this.post<InterfaceDescription>("/workflows/describe_interface", { specification: bareSpecification(target) });
    return { inputs: answer.inputs, outputs: answer.outputs, typingHints: answer.typing_hints, kindsSchemas: answer.kinds_schemas };
  }

  describeBlocks(): Promise<BlocksDescription> {
    return this.get("/workflows/blocks/describe");
  }

  schema(): Promise<DefinitionSchema> {
    return this.get("/workflows/definition/schema");
  }

  health(): Promise<Health> {
    return this.get("/health");
  }

  /** Who the credential is (`GET /` asked for JSON): its workspace and scopes; a credential the service does not know is a CvflowError 401 `unauthorized`. */
  async whoami(): Promise<Identity> {
    const answer = await this.get<WhoAmI>("/");
    return {
      workspace: answer.workspace,
      scopes: answer.scopes,
      ...(answer.key_id !== undefined ? { keyId: answer.key_id } : {}),
      ...(answer.workflow !== undefined ? { workflow: answer.workflow } : {}),
    };
  }

  // ── managing workflows ───────────────────────────────────────────────────

  async listWorkflows(workspace: string): Promise<WorkflowSummary[]> {
    return (await this.get<WorkflowList>(`/${segment(workspace)}/workflows`)).workflows;
  }

  /** The workflow, its definition parsed from `config`, and the etag to update it with. */
  /** The current version, with the ETag an update carries back. */
  getWorkflow(workspace: string, url: string): Promise<WorkflowWithSpecification>;
  /** The version `versionId` (`workflowVersions`); an older one without an ETag (404 `workflow_version_not_found` when there is none). */
  getWorkflow(workspace: string, url: string, options: { versionId: string }): Promise<WorkflowVersionWithSpecification>;
  async getWorkflow(workspace: string, url: string, options?: { versionId: string }): Promise<WorkflowWithSpecification | WorkflowVersionWithSpecification> {
    const query = options ? `?${new URLSearchParams({ workflow_version_id: options.versionId })}` : "";
    const { body, headers } = await this.#transport.json<Partial<TaggedWorkflow> & Pick<TaggedWorkflow, "workflow">>(
      "GET",
      `/${segment(workspace)}/workflows/${segment(url)}${query}`,
    );
    const etag = body.etag ?? headers.get("etag") ?? undefined;
    const specification = parseConfig(body.workflow.config);
    if (!options) return { workflow: body.workflow, specification, etag: etag ?? "" };
    return { workflow: body.workflow, specification, ...(etag === undefined ? {} : { etag }) };
  }

  /** Newest first. */
  async workflowVersions(workspace: string, url: string): Promise<WorkflowVersion[]> {
    return (await this.get<VersionList>(`/${segment(workspace)}/workflows/${segment(url)}/versions`)).versions;
  }

  createWorkflow(workspace: string, workflow: NewWorkflow): Promise<SavedWorkflow> {
    const body: Record<string, unknown> = { name: workflow.name, config: configOf(workflow.specification) };
    if (workflow.url !== undefined) body["url"] = workflow.url;
    if (workflow.public !== undefined) body["public"] = workflow.public;
    return this.post(`/${segment(workspace)}/createWorkflow`, body);
  }

  /** Saves a new version. With `etag`, a workflow changed since it was read is refused (412 `precondition_failed`). */
  updateWorkflow(workspace: string, url: string, changes: WorkflowChanges, options: EtagOption = {}): Promise<SavedWorkflow> {
    const body: Record<string, unknown> = { url };
    if (changes.name !== undefined) body["name"] = changes.name;
    if (changes.specification !== undefined) body["config"] = configOf(changes.specification);
    if (changes.public !== undefined) body["public"] = changes.public;
    return this.post(`/${segment(workspace)}/updateWorkflow`, body, ifMatch(options));
  }

  forkWorkflow(workspace: string, url: string, options: ForkOptions = {}): Promise<SavedWorkflow> {
    const body: Record<string, unknown> = { url };
    if (options.newUrl !== undefined) body["new_url"] = options.newUrl;
    if (options.newName !== undefined) body["new_name"] = options.newName;
    return this.post(`/${segment(workspace)}/forkWorkflow`, body);
  }

  /** Moves the workflow to the trash, where it is kept 30 days. */
  async deleteWorkflow(workspace: string, url: string, options: EtagOption = {}): Promise<DeletedWorkflow> {
    const path = `/${segment(workspace)}/workflows/${segment(url)}`;
    return (await this.#transport.json<DeletedWorkflow>("DELETE", path, { headers: ifMatch(options) })).body;
  }

  async listTrash(workspace: string): Promise<TrashedWorkflow[]> {
    return (await this.get<TrashList>(`/${segment(workspace)}/trash`)).workflows;
  }

  restoreWorkflow(workspace: string, url: string): Promise<RestoredWorkflow> {
    return this.post(`/${segment(workspace)}/trash/restore`, { url });
  }

  /** A Bearer token that may only run this one workflow. */
  async createWorkflowToken(workspace: string, url: string, options: { ttlSeconds?: number } = {}): Promise<WorkflowToken> {
    const body: Record<string, unknown> = { url };
    if (options.ttlSeconds !== undefined) body["ttl_seconds"] = options.ttlSeconds;
    const answer = await this.post<TokenResponse>(`/${segment(workspace)}/workflowToken`, body);
    return { token: answer.token, expiresAt: answer.expires_at };
  }

  // ── batch jobs ───────────────────────────────────────────────────────────

  /** Writes the job; the service starts its execution. Scope `workflow:run`. */
  submitBatchJob(job: BatchJobRequest): Promise<BatchJobSubmitted> {
    return this.post("/batch/jobs", job);
  }

  /** The jobs of the key's workspace, newest first. */
  async listBatchJobs(): Promise<BatchJobStatus[]> {
    return (await this.get<BatchJobList>("/batch/jobs")).jobs;
  }

  batchJob(id: string): Promise<BatchJobStatus> {
    return this.get(`/batch/jobs/${segment(id)}`);
  }

  /**
   * The job's result files written so far (the aggregated CSV or JSONL, failures.jsonl,
   * summary.json), each with its size and a presigned GET URL a browser may follow as a link.
   */
  batchJobResults(id: string): Promise<BatchJobResults> {
    return this.get(`/batch/jobs/${segment(id)}/results`);
  }

  /** Stops the job's execution: `state: "aborted"`. */
  abortBatchJob(id: string): Promise<BatchJobStatus> {
    return this.post(`/batch/jobs/${segment(id)}/abort`, {});
  }

  /** A new execution over the images not done yet. */
  restartBatchJob(id: string): Promise<BatchJobStatus> {
    return this.post(`/batch/jobs/${segment(id)}/restart`, {});
  }

  // ── plumbing ─────────────────────────────────────────────────────────────

  private async get<T>(path: string): Promise<T> {
    return (await this.#transport.json<T>("GET", path)).body;
  }

  private async post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> {
    return (await this.#transport.json<T>("POST", path, headers ? { body, headers } : { body })).body;
  }

  /** A run's route, body and headers: sync (answers the outputs) or async (answers the record). */
  private async runRequest(target: WorkflowTarget, options: RunOptions, mode: "sync" | "async") {
    const body: Record<string, unknown> = { inputs: await this.inputs(options) };
    if (options.excludedFields) body["excluded_fields"] = options.excludedFields;
    if (options.disableSinks) body["disable_sinks"] = true;
    let path: string;
    if ("specification" in target) {
      body["specification"] = bareSpecification(target.specification);
      path = mode === "sync" ? "/workflows/run" : "/workflows/runs";
    } else {
      path = `/${segment(target.workspace)}/workflows/${segment(target.workflowId)}${mode === "sync" ? "" : "/runs"}`;
      if (target.versionId) body["workflow_version_id"] = target.versionId;
    }
    const headers: Record<string, string> = options.idempotencyKey ? { [IDEMPOTENCY_KEY_HEADER]: options.idempotencyKey } : {};
    return { path, body, headers };
  }

  /**
   * The run's `inputs`: parameters, then images in wire form. While the inline base64 would exceed
   * INLINE_IMAGES_LIMIT, the largest remaining image is uploaded instead.
   */
  private async inputs(options: RunOptions): Promise<Record<string, unknown>> {
    const parameters = options.parameters ?? {};
    const slots: { name: string; index: number | undefined; image: PreparedImage }[] = [];
    for (const [name, source] of Object.entries(options.images ?? {})) {
      if (name in parameters) throw invalidArgument(`"${name}" is given both as an image and as a parameter`);
      if (Array.isArray(source)) (await Promise.all(source.map(prepareImage))).forEach((image, index) => slots.push({ name, index, image }));
      else slots.push({ name, index: undefined, image: await prepareImage(source) });
    }
    const inlineLength = (slot: (typeof slots)[number]) => ("bytes" in slot.image ? base64Length(slot.image.bytes.length) : 0);
    let total = slots.reduce((sum, slot) => sum + inlineLength(slot), 0);
    for (const slot of [...slots].sort((a, b) => inlineLength(b) - inlineLength(a))) {
      if (total <= INLINE_IMAGES_LIMIT || !("bytes" in slot.image)) break;
      total -= inlineLength(slot);
      slot.image = { input: await this.uploadImage(slot.image.bytes) };
    }
    const images: Record<string, ImageInput | ImageInput[]> = {};
    for (const { name, index, image } of slots) {
      const wire: ImageInput = "input" in image ? image.input : { type: "base64", value: bytesToBase64(image.bytes) };
      if (index === undefined) images[name] = wire;
      else ((images[name] ??= []) as ImageInput[])[index] = wire;
    }
    return { ...parameters, ...images };
  }
}

/**
 * The client takes a definition bare or wrapped as `{"specification": ...}`; requests carry it bare.
 * A wrapper around something other than an object goes as it is, for the server to name the problem.
 */
function bareSpecification(specification: Specification): Specification {
  const { definition } = unwrapSpecification(specification);
  return isRecord(definition) ? definition : specification;
}

/** `config` as the management API stores it: the JSON string of `{"specification": ...}`. */
function configOf(specification: Specification): string {
  return JSON.stringify({ specification: bareSpecification(specification) });
}

function parseConfig(config: unknown): Specification {
  let parsed: unknown = config;
  if (typeof config === "string") {
    try {
      parsed = JSON.parse(config);
    } catch {
      throw invalidResponse("The workflow's config is not JSON");
    }
  }
  if (!isRecord(parsed)) throw invalidResponse("The workflow's config is not a JSON object");
  return bareSpecification(parsed);
}

function isSavedWorkflow(target: Specification | { workspace: string; workflowId: string }): target is { workspace: string; workflowId: string } {
  return typeof target["workspace"] === "string" && typeof target["workflowId"] === "string";
}

function ifMatch(options: EtagOption): Record<string, string> {
  return options.etag ? { "if-match": options.etag } : {};
}

function segment(value: string): string {
  return encodeURIComponent(value);
}
