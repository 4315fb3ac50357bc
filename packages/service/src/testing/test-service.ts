/**
 * A service over the in-memory stores (@cvflow/store/memory, which keep the S3 stores' contract)
 * and the real engine with the core blocks (no models), with API keys of two workspaces: what the
 * tests of the service and of its clients (SDK, CLI) run against.
 */
import { createWorkflowEngine } from "@cvflow/blocks";
import { defineBlock, type Block } from "@cvflow/engine";
import { SCOPES, type Scope } from "@cvflow/store";
import { MemoryApiKeyStore, MemoryBlobStore, MemoryWorkflowStore } from "@cvflow/store/memory";
import { uploadedImages } from "../s3-images.js";
import { createService, type ServiceOptions } from "../service.js";

export const TEST_WORKSPACE = "acme";

/** Keys granted in advance: every scope, read only and run only in TEST_WORKSPACE; every scope in "other". */
export const TEST_KEYS = {
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

const SILENT = { warn: () => {}, error: () => {} };

export interface TestServiceOptions extends Partial<ServiceOptions> {
  /** Beside the core blocks and sleepBlock. */
  blocks?: Block[];
  /** The only hosts URL inputs may reach; `[]` keeps a test off the network (refused before any lookup). Default: any public host. */
  allowedUrlHosts?: readonly string[];
}

/** `options` replace the defaults: tokens signed with "test-secret", a silent logger. */
export async function createTestService(options: TestServiceOptions = {}) {
  const { blocks = [], allowedUrlHosts, ...serviceOptions } = options;
  const store = new MemoryWorkflowStore();
  const keys = new MemoryApiKeyStore();
  const blobs = new MemoryBlobStore();
  const grant = (key: string, workspace: string, scopes: readonly Scope[]) => keys.put(key, { workspace, scopes: [...scopes], name: key, createdAt: new Date().toISOString() });
  await grant(TEST_KEYS.admin, TEST_WORKSPACE, SCOPES);
  await grant(TEST_KEYS.reader, TEST_WORKSPACE, ["workflow:read"]);
  await grant(TEST_KEYS.runner, TEST_WORKSPACE, ["workflow:run"]);
  await grant(TEST_KEYS.other, "other", SCOPES);
  const images = { fetchS3: uploadedImages(blobs), ...(allowedUrlHosts ? { url: { allowedHosts: allowedUrlHosts } } : {}) };
  const engine = createWorkflowEngine({ blocks: [sleepBlock as Block, ...blocks], images });
  const service = createService({ engine, store, keys, blobs, tokenSecret: "test-secret", logger: SILENT, ...serviceOptions });
  return { service, store, keys, blobs, engine };
}

export type TestService = Awaited<ReturnType<typeof createTestService>>;
