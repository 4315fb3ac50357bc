/**
 * The service's HTTP shapes, independent of Lambda. On the outside, `HttpRequest` in and
 * `HttpResponse` out of `Service.handle` (handle.ts): what an adapter translates its transport to
 * and from (functions/http for a Function URL). Inside, each route's handler gets the request
 * routed and parsed (`ServiceRequest`) and answers a value (`ServiceResponse`) that handle writes
 * as JSON, or a stream of text (SSE, NDJSON) that the adapter writes chunk by chunk.
 */
import type { Scope } from "@cvflow/store";
import type { ErrorBody } from "./error-body.js";
import type { OpenApiOperation } from "./openapi-types.js";

/**
 * A request as it arrived. Plain rather than a web `Request`, which cannot carry a body on a GET:
 * inference_sdk sends its `/inference_pipelines/...` GETs with a JSON body (and an `api_key` in it).
 */
export interface HttpRequest {
  method: string;
  /** As sent: percent-encoded, without the query. */
  path: string;
  /** As sent, without the `?`; "" when there is none. */
  query: string;
  /** Names in any case; a repeated header's values joined by commas. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body's bytes; absent or empty when there was none. */
  body?: Uint8Array;
  /** Quoted in every response (`X-Request-Id`), in 5xx details and in the keys of offloaded images. */
  requestId: string;
  /** How long the caller still lets the request run (a Lambda's remaining time); without it, only the run limit counts. */
  remainingTimeMs?: () => number;
  /** Fires when the caller gives up: the run stops as at its deadline. */
  signal?: AbortSignal;
}

/** What goes back: its status and headers (lower-case names) with a body (JSON, or bytes in base64), or a stream. */
export type HttpResponse = BufferedHttpResponse | StreamingHttpResponse;

export interface BufferedHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  /** JSON text; or a finite stream's whole text where the deployment cannot stream; or bytes in base64 (`isBase64Encoded`). */
  body: string;
  /** The body is bytes in base64 (the page's files, compressed): as a Lambda result says it, and an adapter sends the bytes. */
  isBase64Encoded?: boolean;
  stream?: undefined;
}

/**
 * A response written as it is made (SSE, NDJSON): never fitted to the payload limit. The adapter
 * writes each chunk as it comes and stops iterating when the caller leaves (`return()` on the
 * iterator, and the request's `signal`).
 */
export interface StreamingHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  stream: AsyncIterable<string>;
  body?: undefined;
}

export interface ServiceRequest {
  /** Decoded path parameters, named as in the route's path (`{workspace}`). */
  pathParameters: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; undefined when there was none. */
  body: unknown;
  /** Fires at the request's deadline (or when the caller gives up). */
  signal: AbortSignal;
  /** When `signal` fires for the deadline, in epoch milliseconds. */
  deadlineAt: number;
  /**
   * What a streamed response follows instead of the deadline: fires when the caller gives up or
   * the caller's remaining time (a Lambda's) less the margin runs out — the stream then ends
   * cleanly and the client resumes (SSE `Last-Event-ID`). Never fires on its own otherwise.
   */
  streamSignal: AbortSignal;
  /**
   * Set when this deployment cannot stream responses: why. A route whose answer would be an
   * endless stream and that would start work first (Dify's streaming run) refuses before starting it.
   */
  streamingUnavailable?: string;
  requestId: string;
}

export type ServiceResponse = JsonResponse | BytesResponse | StreamResponse;

export interface JsonResponse {
  statusCode: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body: unknown;
  bytes?: undefined;
  stream?: undefined;
}

/** Bytes sent as they are (the page's files): not JSON, not fitted to the payload limit; the headers carry their content type. */
export interface BytesResponse {
  statusCode: number;
  headers: Record<string, string>;
  bytes: Uint8Array;
  body?: undefined;
  stream?: undefined;
}

/** Sent as its chunks come (event-stream.ts makes them); the headers carry its content type. */
export interface StreamResponse {
  statusCode: number;
  headers: Record<string, string>;
  stream: AsyncIterable<string>;
  bytes?: undefined;
  /** It ends by itself, soon (it reads what is there): where the deployment cannot stream, it is sent whole. */
  finite?: boolean;
}

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** HEAD is answered only where a route declares it (the page's): elsewhere it is a 405. */
export type Method = (typeof METHODS)[number] | "HEAD";

/**
 * Who may call a route. `workflow`: a key of the path's workspace with the scope, or anyone when
 * the workflow is public, or (`token`) a workflow token naming that very workflow. `caller`:
 * anyone, and a credential sent is checked (401 when not valid) and handed to the use case.
 */
export type RouteAccess =
  | { kind: "anyone" }
  | { kind: "caller" }
  | { kind: "key"; scopes: readonly Scope[] }
  | { kind: "workspace"; scopes: readonly Scope[] }
  | { kind: "workflow"; scope: Scope; token: boolean };

export interface Route {
  method: Method;
  /**
   * OpenAPI's syntax: `/{workspace}/workflows/{workflow_id}`; a last segment `{proxy+}` stands for
   * the rest of the path, any number of segments or none (router.ts says how paths are matched).
   */
  path: string;
  access: RouteAccess;
  /** What the OpenAPI document says of it (parameters and security are derived). */
  doc: OpenApiOperation;
  /**
   * The route's errors in another product's shape (a dialect's: Dify's `{status, code, message}`),
   * made from cvflow's body; default cvflow's body itself. Applies to every failure of a request
   * the route matches, those before its handler (a body that is not JSON, a bad credential) too.
   */
  errorBody?: (body: ErrorBody) => unknown;
  handler: (request: ServiceRequest) => Promise<ServiceResponse>;
}

export function ok(body: unknown, headers?: Record<string, string>): JsonResponse {
  return headers ? { statusCode: 200, headers, body } : { statusCode: 200, body };
}

export function created(body: unknown, headers?: Record<string, string>): JsonResponse {
  return headers ? { statusCode: 201, headers, body } : { statusCode: 201, body };
}
