/**
 * A service over in-memory stores and the real engine (core blocks, no models), with keys of two
 * workspaces, and `call`: a request routed as http-router routes it (static paths first, then the
 * first dynamic match), errors answered with the service's envelope.
 */
import { createWorkflowEngine } from "@cvflow/blocks";
import { defineBlock, type Block } from "@cvflow/engine";
import { SCOPES, type Scope } from "@cvflow/store";
import { createService, errorResponse, uploadedImages, type Route, type ServiceOptions, type ServiceResponse } from "../src/index.js";
import { MemoryApiKeyStore, MemoryBlobStore, MemoryWorkflowStore } from "@cvflow/store/memory";

export const WORKSPACE = "acme";
export const KEYS = {
  admin: "cvf_admin",
  reader: "cvf_reader",
  runner: "cvf_runner",
  other: "cvf_other",
} as const;

/** Waits `ms`, deaf to the run's signal, then outputs `value`: a block that will not stop. */
export const sleepBlock = defineBlock<{ ms: number; value: unknown }>({
  manifest: {
    type: "test/sleep@v1",
    name: "Sleep",
    description: "Waits, ignoring the signal.",
    family: "formatters",
    fields: { ms: { schema: { type: "number" }, required: true }, value: { kinds: ["*"], default: null } },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run: async ({ ms, value }) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { output: value };
  },
});

export const echoSpec = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "x", default_value: 1 }],
  steps: [{ type: "roboflow_core/property_definition@v1", name: "copy", data: "$inputs.x", operations: [] }],
  outputs: [{ type: "JsonField", name: "x", selector: "$steps.copy.output" }],
};

export const imageSpec = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [],
  outputs: [{ type: "JsonField", name: "image", selector: "$inputs.image" }],
};

export interface CallInit {
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  key?: string;
  signal?: AbortSignal;
}

export async function testService(options: Partial<ServiceOptions> & { blocks?: Block[] } = {}) {
  const store = new MemoryWorkflowStore();
  const keys = new MemoryApiKeyStore();
  const blobs = new MemoryBlobStore();
  const grant = (key: string, workspace: string, scopes: readonly Scope[]) => keys.put(key, { workspace, scopes: [...scopes], name: key, createdAt: new Date().toISOString() });
  await grant(KEYS.admin, WORKSPACE, SCOPES);
  await grant(KEYS.reader, WORKSPACE, ["workflow:read"]);
  await grant(KEYS.runner, WORKSPACE, ["workflow:run"]);
  await grant(KEYS.other, "other", SCOPES);
  const engine = createWorkflowEngine({ blocks: [sleepBlock as Block, ...(options.blocks ?? [])], images: { fetchS3: uploadedImages(blobs) } });
  const service = createService({ engine, store, keys, blobs, tokenSecret: "test-secret", ...options });

  async function call(method: string, path: string, init: CallInit = {}): Promise<ServiceResponse> {
    const [pathname, search = ""] = path.split("?");
    const match = matchRoute(service.routes, method, pathname!);
    if (!match) throw new Error(`no route for ${method} ${path}`);
    const headers = { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...init.headers };
    try {
      return await match.route.handler({
        pathParameters: match.params,
        query: { ...Object.fromEntries(new URLSearchParams(search)), ...init.query },
        headers,
        body: init.body,
        signal: init.signal ?? new AbortController().signal,
        deadlineAt: Date.now() + 20_000,
        requestId: "test-request",
      });
    } catch (error) {
      return errorResponse(error, "test-request");
    }
  }

  return { service, store, keys, blobs, engine, call };
}

function matchRoute(routes: readonly Route[], method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  const candidates = routes.filter((r) => r.method === method);
  const ordered = [...candidates.filter((r) => !r.path.includes("{")), ...candidates.filter((r) => r.path.includes("{"))];
  for (const route of ordered) {
    const names: string[] = [];
    // `{name}` is one segment; a last `/{proxy+}` the rest of the path, or nothing.
    const source = route.path.replace(/\/\{proxy\+\}$|\{([^}]+)\}/g, (_, name?: string) => (names.push(name ?? "proxy"), name ? "([^/]+)" : "(?:/(.*))?"));
    const found = new RegExp(`^${source}/?$`).exec(path);
    if (found) return { route, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1] ?? "")])) };
  }
  return undefined;
}
