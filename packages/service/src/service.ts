/**
 * createService: the route table with access enforced, over the engine and the stores, and
 * `handle`, the one entry point that answers HTTP requests with it (handle.ts). Nothing here
 * knows Lambda; functions/http translates Function URL events to `handle` and back.
 */
import type { BatchJobs } from "@cvflow/batch";
import type { WorkflowEngine } from "@cvflow/engine";
import type { Runs } from "@cvflow/runs";
import type { ApiKeyStore, BlobStore, WorkflowStore } from "@cvflow/store";
import packageJson from "../package.json" with { type: "json" };
import { Authenticator, requireKey, type Principal } from "./auth.js";
import type { ServiceContext } from "./context.js";
import { DebuggerPage } from "./debugger-page.js";
import type { InferencePipelines } from "./inference-pipelines.js";
import { createHandle, type ServiceLogger } from "./handle.js";
import type { HttpRequest, HttpResponse, Route, ServiceRequest } from "./http.js";
import { DEFAULT_LIMITS, type HttpLimits } from "./limits.js";
import { openApiDocument } from "./openapi.js";
import type { RouteSpec } from "./route-spec.js";
import { routeTable } from "./routes.js";
import { SavedWorkflows } from "./saved-workflows.js";
import type { StaticSite } from "./static-site.js";
import { WorkflowTokens } from "./workflow-tokens.js";

export interface ServiceOptions {
  engine: WorkflowEngine;
  store: WorkflowStore;
  keys: ApiKeyStore;
  blobs: BlobStore;
  /** Signs workflow tokens; without one, tokens are neither issued nor accepted. */
  tokenSecret?: string;
  /** What `/health` and the OpenAPI document say; default this package's version. */
  version?: string;
  /** How long saved definitions and found API keys are kept in memory; default 30 s (0: not at all). */
  cacheTtlMs?: number;
  /** The clock of token expiry (tests). */
  now?: () => number;
  /** Batch jobs (docs/batch.md); without them their routes answer 501 `batch_not_configured`. */
  batch?: BatchJobs;
  /** Run records and async runs (docs/runs.md): every sync run gets a record (`X-Cvflow-Run-Id`); without them the run routes answer 501 `runs_not_configured`. */
  runs?: Runs;
  /** Video pipelines (Roboflow's `/inference_pipelines/*`), run by a long-lived process (the local stack's); without them those routes answer 501 `pipelines_not_configured`. */
  pipelines?: InferencePipelines;
  /** The deadline and the size limits; each defaults to the product's (limits.ts). */
  limits?: Partial<HttpLimits>;
  /** Where failures are told; default `console`. */
  logger?: ServiceLogger;
  /** Set when this deployment cannot stream responses: why (the adapter's words); streaming routes then answer 501 `streaming_unavailable`. */
  streamingUnavailable?: string;
  /** The debugger page's built files (`@cvflow/ui/site` reads them); without them `/` answers 503 `ui_not_built`. */
  ui?: StaticSite;
}

export interface Service {
  readonly routes: readonly Route[];
  /** Answers a request: routing, limits, deadline and errors included. */
  handle(request: HttpRequest): Promise<HttpResponse>;
  /** The OpenAPI 3.1 document of `routes`. */
  openApi(): Record<string, unknown>;
}

const DEFAULT_CACHE_TTL_MS = 30_000;
const ANONYMOUS: Principal = { type: "anonymous" };

export function createService(options: ServiceOptions): Service {
  const tokens = options.tokenSecret ? new WorkflowTokens(options.tokenSecret, options.now) : undefined;
  const cacheTtlMs = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const version = options.version ?? packageJson.version;
  const ctx: ServiceContext = {
    engine: options.engine,
    store: options.store,
    blobs: options.blobs,
    saved: new SavedWorkflows(options.store, options.engine, cacheTtlMs),
    tokens,
    version,
    batch: options.batch,
    runs: options.runs,
    pipelines: options.pipelines,
    page: options.ui ? new DebuggerPage(options.ui, options.blobs) : undefined,
  };
  const auth = new Authenticator(options.keys, tokens, cacheTtlMs);
  let document: Record<string, unknown> | undefined;
  const openApi = (): Record<string, unknown> => (document ??= openApiDocument(routes, version));
  const routes: Route[] = routeTable(ctx, openApi).map((spec) => enforced(spec, auth));
  const handle = createHandle(routes, {
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    blobs: options.blobs,
    logger: options.logger ?? console,
    ...(options.streamingUnavailable === undefined ? {} : { streamingUnavailable: options.streamingUnavailable }),
  });
  return { routes, handle, openApi };
}

/** The route with its access checked before the use case runs (workflow access is the use case's: it reads the workflow). */
function enforced(spec: RouteSpec, auth: Authenticator): Route {
  const { handle, ...route } = spec;
  return {
    ...route,
    handler: async (request: ServiceRequest) => {
      const { access } = spec;
      if (access.kind === "anyone") return handle(request, ANONYMOUS);
      const principal = await auth.principal(request);
      if (access.kind === "key") requireKey(principal, access.scopes);
      if (access.kind === "workspace") requireKey(principal, access.scopes, request.pathParameters["workspace"]);
      return handle(request, principal);
    },
  };
}
