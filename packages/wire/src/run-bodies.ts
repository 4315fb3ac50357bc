/**
 * The bodies of the run, definition and upload routes' answers (docs/api.md), as the service sends
 * them and the SDK reads them. Types only.
 */
import type { WorkflowIssue } from "./error-bodies.js";

/** An image input in the API's wire form. */
export interface ImageInput {
  type: "base64" | "url" | "s3" | "file";
  value: string;
}

/** A Chrome trace event ("complete" event, times in µs), as the profiler records one per step. */
export interface TraceEvent {
  name: string;
  cat: string;
  ph: "X";
  ts: number;
  dur: number;
  pid: number;
  tid: number;
  args: Record<string, unknown>;
}

export interface RunResponse {
  /** One object per input image (or one for a run without batch inputs), keyed by output name. */
  outputs: Record<string, unknown>[];
  profiler_trace?: TraceEvent[];
}

/** GET /runs/{run_id}/inputs: an async run's inputs as given, its uploads (`{"type": "s3"}`) as `{"type": "url"}` presigned GETs. */
export interface RunInputs {
  id: string;
  inputs: Record<string, unknown>;
  /**
   * An inline run's definition as it ran (what the debugger page draws its graph with). Absent for
   * a saved workflow's run: the workflow is read by its id, with the rights that takes.
   */
  specification?: Record<string, unknown>;
}

export interface ValidateResponse {
  status: "ok";
  /** Problems that do not stop a run. */
  warnings?: WorkflowIssue[];
}

export interface InterfaceDescription {
  /** Input name → the kinds it accepts. */
  inputs: Record<string, string[]>;
  /** Output name → the kinds it carries. */
  outputs: Record<string, string[]>;
  /** Kind → the JSON type of its values. */
  typing_hints: Record<string, string>;
  /** Kind → the JSON Schema of its values, where it has one. */
  kinds_schemas: Record<string, unknown>;
}

/** A block manifest as the grammar's describe route reports it. */
export interface BlockDescription {
  manifest_type_identifier: string;
  aliases: string[];
  human_friendly_block_name: string;
  block_schema: Record<string, unknown>;
  outputs_manifest: unknown[];
  [field: string]: unknown;
}

export interface KindDescription {
  name: string;
  [field: string]: unknown;
}

export interface BlocksDescription {
  blocks: BlockDescription[];
  kinds: KindDescription[];
}

export interface DefinitionSchema {
  /** The JSON Schema of the grammar. */
  schema: Record<string, unknown>;
}

export interface Health {
  status: "ok";
  version: string;
}

/**
 * Who a credential is: `GET /` with it, asking for JSON (not text/html), and `POST /` (what
 * Roboflow's Python client sends to check its key, reading `workspace`).
 */
export interface WhoAmI {
  welcome: string;
  instructions: string;
  /** Where the routes are described: `/openapi.json`. */
  docs: string;
  workspace: string;
  /** An API key's scopes; a workflow token's `["workflow:run"]`, for `workflow` only. */
  scopes: string[];
  /** An API key: the first 16 hex digits of its SHA-256, as run records name it (`startedBy.keyId`). */
  key_id?: string;
  /** A workflow token: the one workflow it may run. */
  workflow?: string;
}

export interface UploadResponse {
  /** PUT the image bytes here, with the same Content-Type. */
  upload_url: string;
  expires_at: string;
  /** The `{"type": "s3"}` input to pass once the bytes are there. */
  image: ImageInput;
}
