/**
 * A stand-in for the cvflow API on 127.0.0.1: every route of docs/api.md answers with a canned
 * body of the documented shape, and every request is recorded. Tests replace an answer with
 * `reply(route, ...)`. Shared by the SDK and CLI tests.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { examplePhoto } from "@cvflow/vision/test-assets";

export interface Received {
  method: string;
  /** Path without the query string, still URL-encoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json: any;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** Sent as it is instead of `body` (e.g. an HTML error page). */
  raw?: string;
  headers?: Record<string, string>;
  /** Answer this late, to test timeouts. */
  delayMs?: number;
}

type Answer = Reply | ((request: Received, params: Record<string, string>) => Reply);

/** A real photo (the repository's examples/images/dog.jpg, 768×576 JPEG), as an image output would carry it. */
export const OUTPUT_IMAGE = readFileSync(examplePhoto("dog.jpg"));

export const SPECIFICATION = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/image_blur@v1", name: "blur", image: "$inputs.image" }],
  outputs: [{ type: "JsonField", name: "blurred", selector: "$steps.blur.image" }],
};

export const WORKFLOW = {
  id: "shelf",
  url: "shelf",
  name: "Shelf audit",
  workspace: "acme",
  public: false,
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-02T00:00:00.000Z",
  versionId: "v2",
};

const saved = { workflow: { ...WORKFLOW, config: JSON.stringify({ specification: SPECIFICATION }) }, etag: '"etag-2"' };

function runAnswer(request: Received): Reply {
  const outputs = [
    {
      predictions: {
        image: { width: 768, height: 576 },
        predictions: [
          { x: 200, y: 300, width: 100, height: 120, confidence: 0.954, class: "dog", class_id: 16, detection_id: "d1", parent_id: "image" },
          { x: 400, y: 200, width: 300, height: 200, confidence: 0.885, class: "bicycle", class_id: 1, detection_id: "d2", parent_id: "image" },
        ],
      },
      annotated: { type: "base64", value: OUTPUT_IMAGE.toString("base64") },
      count: 2,
    },
  ];
  const trace = [{ name: "blur", ph: "X", ts: 0, dur: 5, pid: 1, tid: 1 }];
  return { body: request.json?.enable_profiling ? { outputs, profiler_trace: trace } : { outputs } };
}

function validateAnswer(request: Received): Reply {
  const specification = request.json?.specification ?? request.json;
  if (Array.isArray(specification?.steps)) return { body: { status: "ok" } };
  const issue = { code: "missing_field", message: "steps is required", pointer: "/steps", step: null, property: "steps" };
  return { status: 400, body: { error: { code: "invalid_workflow", message: "steps is required", status: 400, details: { errors: [issue] } } } };
}

export const BATCH_JOB = {
  job: "job-1",
  state: "running",
  total: 40,
  done: 12,
  failed: 1,
  started_at: "2025-01-01T00:00:00.000Z",
  finished_at: null,
  output_prefix: "s3://cvflow/batches/job-1/output/",
};

const describedInterface = {
  inputs: { image: ["image"], model_id: ["roboflow_model_id"] },
  outputs: { blurred: ["image"] },
  typing_hints: { image: "dict", roboflow_model_id: "str" },
  kinds_schemas: {},
};

/** Routes in match order; `:name` matches one path segment. */
function defaultRoutes(baseUrl: () => string): [string, Answer][] {
  return [
    ["POST /workflows/run", runAnswer],
    ["POST /workflows/validate", validateAnswer],
    ["POST /workflows/describe_interface", { body: describedInterface }],
    ["GET /workflows/blocks/describe", { body: { blocks: [{ manifest_type_identifier: "roboflow_core/image_blur@v1", aliases: ["ImageBlur"], human_friendly_block_name: "Image Blur", block_schema: {}, outputs_manifest: [] }], kinds: [{ name: "image" }] } }],
    ["GET /workflows/definition/schema", { body: { schema: { type: "object", title: "WorkflowDefinition" } } }],
    ["GET /health", { body: { status: "ok", version: "0.1.0" } }],
    ["POST /uploads", () => ({ body: { upload_url: `${baseUrl()}/s3/uploads/u1?X-Amz-Signature=abc`, expires_at: "2025-01-01T00:15:00.000Z", image: { type: "s3", value: "s3://cvflow/uploads/u1" } } })],
    ["PUT /s3/uploads/:id", { status: 200, raw: "" }],
    ["POST /batch/jobs", { status: 202, body: { job: "job-1", state: "submitted" } }],
    ["GET /batch/jobs", { body: { jobs: [BATCH_JOB, { ...BATCH_JOB, job: "job-0", state: "succeeded", done: 39, finished_at: "2025-01-01T00:01:00.000Z" }] } }],
    ["GET /batch/jobs/:id", (_request, params) => ({ body: { ...BATCH_JOB, job: decodeURIComponent(params["id"]!) } })],
    ["POST /batch/jobs/:id/abort", (_request, params) => ({ body: { ...BATCH_JOB, job: decodeURIComponent(params["id"]!), state: "aborted" } })],
    ["POST /batch/jobs/:id/restart", (_request, params) => ({ body: { ...BATCH_JOB, job: decodeURIComponent(params["id"]!), state: "running" } })],
    ["GET /:workspace/workflows", { body: { workflows: [WORKFLOW] } }],
    ["GET /:workspace/trash", { body: { workflows: [{ ...WORKFLOW, deletedAt: "2025-01-03T00:00:00.000Z" }] } }],
    ["POST /:workspace/trash/restore", { body: saved }],
    ["POST /:workspace/createWorkflow", { status: 201, body: saved }],
    ["POST /:workspace/updateWorkflow", { body: { ...saved, etag: '"etag-3"' } }],
    ["POST /:workspace/forkWorkflow", { status: 201, body: { workflow: { ...saved.workflow, id: "shelf-copy", url: "shelf-copy" }, etag: '"etag-f"' } }],
    ["POST /:workspace/workflowToken", { body: { token: "cvt_token", expires_at: "2025-01-01T00:15:00.000Z" } }],
    ["GET /:workspace/workflows/:url/versions", { body: { versions: [{ versionId: "v2", createdAt: "2025-01-02T00:00:00.000Z", name: "Shelf audit" }, { versionId: "v1", createdAt: "2025-01-01T00:00:00.000Z", name: "Shelf" }] } }],
    ["POST /:workspace/workflows/:url/describe_interface", { body: describedInterface }],
    ["GET /:workspace/workflows/:url", { body: saved, headers: { etag: saved.etag } }],
    ["DELETE /:workspace/workflows/:url", (_request, params) => ({ body: { deleted: decodeURIComponent(params["url"]!) } })],
    ["POST /:workspace/workflows/:url", runAnswer],
  ];
}

export class FakeApi {
  readonly received: Received[] = [];
  readonly #server: Server;
  #overrides: [string, Answer][] = [];
  readonly #routes: [string, Answer][];

  private constructor(server: Server) {
    this.#server = server;
    this.#routes = defaultRoutes(() => this.url);
  }

  static async start(): Promise<FakeApi> {
    const server = createServer();
    const api = new FakeApi(server);
    server.on("request", (request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const url = new URL(request.url ?? "/", "http://fake");
        const body = Buffer.concat(chunks);
        let json: unknown;
        try {
          json = body.length ? JSON.parse(body.toString("utf8")) : undefined;
        } catch {
          json = undefined;
        }
        const received: Received = { method: request.method ?? "GET", path: url.pathname, query: url.searchParams, headers: request.headers, body, json };
        api.received.push(received);
        const reply = api.answer(received);
        const send = () => {
          const text = reply.raw ?? JSON.stringify(reply.body ?? {});
          response.writeHead(reply.status ?? 200, { "content-type": reply.raw === undefined ? "application/json" : "text/plain", ...reply.headers });
          response.end(text);
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Replaces the answer of `route` ("METHOD /pattern", as in the default routes) until reset(). */
  reply(route: string, answer: Answer): void {
    this.#overrides.unshift([route, answer]);
  }

  /** The last request received on a path (optionally with this method). */
  last(path: string, method?: string): Received {
    const found = this.received.findLast((r) => r.path === path && (!method || r.method === method));
    if (!found) throw new Error(`no ${method ?? "request"} to ${path}; received: ${this.received.map((r) => `${r.method} ${r.path}`).join(", ")}`);
    return found;
  }

  reset(): void {
    this.received.length = 0;
    this.#overrides = [];
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  private answer(request: Received): Reply {
    for (const [route, answer] of [...this.#overrides, ...this.#routes]) {
      const params = match(route, request);
      if (params) return typeof answer === "function" ? answer(request, params) : answer;
    }
    return { status: 404, body: { error: { code: "not_found", message: `No route ${request.method} ${request.path}`, status: 404, details: {} } } };
  }
}

function match(route: string, request: Received): Record<string, string> | undefined {
  const [method, pattern] = route.split(" ") as [string, string];
  if (method !== request.method) return undefined;
  const want = pattern.split("/");
  const got = request.path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    if (part.startsWith(":")) params[part.slice(1)] = got[i]!;
    else if (part !== got[i]) return undefined;
  }
  return params;
}
