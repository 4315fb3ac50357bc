/**
 * The service's tiny HTTP core, independent of Lambda: a plain request in, a plain response out.
 * `functions/api.ts` adapts Function URL events to it; tests call it directly.
 */
import type { Scope } from "@cvflow/store";
import type { OpenApiOperation } from "./openapi-types.js";

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
  requestId: string;
}

export interface ServiceResponse {
  statusCode: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body: unknown;
}

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/**
 * Who may call a route. `workflow`: a key of the path's workspace with the scope, or anyone when
 * the workflow is public, or (`token`) a workflow token naming that very workflow.
 */
export type RouteAccess =
  | { kind: "anyone" }
  | { kind: "key"; scopes: readonly Scope[] }
  | { kind: "workspace"; scopes: readonly Scope[] }
  | { kind: "workflow"; scope: Scope; token: boolean };

export interface Route {
  method: Method;
  /**
   * middy http-router's syntax, which is also OpenAPI's: `/{workspace}/workflows/{workflow_id}`;
   * a last segment `{proxy+}` stands for the rest of the path, any number of segments or none.
   */
  path: string;
  access: RouteAccess;
  /** What the OpenAPI document says of it (parameters and security are derived). */
  doc: OpenApiOperation;
  handler: (request: ServiceRequest) => Promise<ServiceResponse>;
}

export function ok(body: unknown, headers?: Record<string, string>): ServiceResponse {
  return headers ? { statusCode: 200, headers, body } : { statusCode: 200, body };
}

export function created(body: unknown, headers?: Record<string, string>): ServiceResponse {
  return headers ? { statusCode: 201, headers, body } : { statusCode: 201, body };
}
