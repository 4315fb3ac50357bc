/**
 * The OpenAPI 3.1 document, generated from the route table: every route, its parameters (path,
 * query, headers), request and response bodies, who may call it, and the errors it may answer.
 */
import type { Route, RouteAccess } from "./http.js";
import { RUN_COMPONENTS } from "./run-schemas.js";
import { COMPONENTS, ref } from "./schemas.js";

const KEY_SECURITY: Record<string, string[]>[] = [{ bearer: [] }, { apiKeyQuery: [] }];

export function openApiDocument(routes: readonly Route[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: "3.1.0",
    info: {
      title: "cvflow",
      version,
      description:
        "Run computer-vision workflows (the open Workflows grammar) and manage saved ones. Every error is `{\"error\": {\"code\", \"message\", \"status\", \"details\"}}`, with `message`, `error_type` and, where there is an underlying cause, `inner_error_message` beside it for Roboflow's clients. " +
        "Credentials: an API key or a workflow token as `Authorization: Bearer`, the `api_key` query parameter, or `api_key` in the JSON body.",
    },
    paths,
    components: {
      schemas: { ...COMPONENTS, ...RUN_COMPONENTS },
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key (`cvf_…`) or a workflow token (`cvft.…`)." },
        apiKeyQuery: { type: "apiKey", in: "query", name: "api_key" },
      },
    },
  };
}

function operation(route: Route): Record<string, unknown> {
  const { doc, access } = route;
  const parameters = [
    ...[...openApiPath(route.path).matchAll(/\{([^}]+)\}/g)].map(([, name]) => ({ name, in: "path", required: true, schema: { type: "string" } })),
    ...Object.entries(doc.query ?? {}).map(([name, p]) => ({ name, in: "query", required: false, description: p.description, schema: p.schema })),
    ...Object.entries(doc.headers ?? {}).map(([name, p]) => ({ name, in: "header", required: false, description: p.description, schema: p.schema })),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    responses[status] = {
      description: r.description,
      ...(r.etag ? { headers: { ETag: { description: "The workflow's ETag, quoted.", schema: { type: "string" } } } } : {}),
      content: Object.fromEntries([
        ...(r.mediaTypes ?? ["application/json"]).map((type) => [type, { schema: r.schema }]),
        ...Object.entries(r.alternatives ?? {}).map(([type, schema]) => [type, { schema }]),
      ]),
    };
  }
  for (const [status, description] of errorStatuses(route)) responses[status] = { description, content: { "application/json": { schema: ref("Error") } } };
  return {
    operationId: doc.operationId,
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: doc.tags,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.requestBody ? { requestBody: { required: doc.requestBody.required, content: { "application/json": { schema: doc.requestBody.schema } } } } : {}),
    responses,
    security: security(access),
  };
}

/** The route's path as OpenAPI writes it: the table's `{proxy+}` (the rest of the path) is the parameter `{path}`. */
export function openApiPath(path: string): string {
  return path.replace("{proxy+}", "{path}");
}

/** `{}` in a security list makes the credential optional: public workflows need none, nor does the page. */
function security(access: RouteAccess): Record<string, string[]>[] {
  switch (access.kind) {
    case "anyone":
      return [];
    case "workflow":
    case "caller":
      return [...KEY_SECURITY, {}];
    default:
      return KEY_SECURITY;
  }
}

function errorStatuses(route: Route): [string, string][] {
  const statuses: [string, string][] = [["400", "The request is not valid (`invalid_json`, `invalid_request`, `invalid_workflow`, …)."]];
  if (route.access.kind !== "anyone") statuses.push(["401", "No credential, or one that is not valid (`unauthorized`)."]);
  if (route.access.kind !== "anyone" && route.access.kind !== "caller") statuses.push(["403", "The credential does not allow this (`forbidden`)."]);
  if (route.path.includes("{workflow_id}") || route.doc.tags.includes("management")) statuses.push(["404", "No such workflow (`workflow_not_found`)."]);
  if (route.doc.headers?.["If-Match"]) statuses.push(["412", "The ETag carried back is stale (`precondition_failed`)."]);
  if (route.doc.tags.includes("batch")) {
    if (route.path.includes("{id}")) statuses.push(["404", "No such batch job in the API key's workspace (`job_not_found`)."]);
    if (route.path.endsWith("/abort") || route.path.endsWith("/restart")) statuses.push(["409", "The job has finished (`job_finished`) or is still running (`job_running`)."]);
    statuses.push(["501", "This deployment has no batch jobs (`batch_not_configured`)."]);
  }
  if (route.doc.tags.includes("page")) {
    if (route.path !== "/") statuses.push(["404", "No such file in the page's build (`route_not_found`)."]);
    statuses.push(["503", "The page is not built on this server (`ui_not_built`: `npm run build:ui`)."]);
  }
  if (route.doc.tags.includes("runs")) {
    if (route.path.includes("{run_id}")) statuses.push(["404", "No such run in the API key's workspace (`run_not_found`)."]);
    if (/\/(input|retry)$/.test(route.path)) statuses.push(["409", "The run is not waiting for input (`run_not_waiting`) or cannot be retried (`run_not_retryable`)."]);
    if (route.method === "POST" && route.path.endsWith("/runs")) statuses.push(["422", "The Idempotency-Key was used with another request (`idempotency_key_reused`)."]);
    statuses.push(["501", "This deployment has no runs (`runs_not_configured`), or cannot stream (`streaming_unavailable`, on a followed event stream)."]);
  }
  if (route.method !== "GET" && route.method !== "HEAD") {
    const tooLarge = "The request body passes 6 MB (`request_too_large`: upload images with `POST /uploads`)";
    const responseTooLarge =
      ", or the response would, and the request did not ask for its images to be offloaded or offloading is switched off (`response_too_large`, with `details.size_bytes` and `details.limit_bytes`)";
    statuses.push(["413", route.doc.tags.includes("run") ? `${tooLarge}${responseTooLarge}.` : `${tooLarge}.`]);
  }
  statuses.push(
    ["500", "An unexpected error (`internal_error`, with `details.request_id`)."],
    [
      "504",
      "The request passed its deadline (`deadline_exceeded`; a run lists `details.finished_steps`). With `Retry-After` (`details.retryable: true`) the time went to something a retry will not repeat; without it a retry would overrun again, and an identical one within a minute gets this answer at once (`details.repeated: true`).",
    ],
  );
  return statuses;
}
