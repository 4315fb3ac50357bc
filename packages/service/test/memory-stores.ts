/**
 * In-memory WorkflowStore, ApiKeyStore and BlobStore with the contracts of packages/store/src/types.ts
 * (404 / 409 / 412 as WorkflowErrors, versions newest first, a trash), counting reads so tests
 * can tell when the service went to storage.
 */
import { createHash, randomUUID } from "node:crypto";
import { WorkflowError } from "@cvflow/engine";
import { uploadsOf, type ApiKeyRecord, type ApiKeyStore, type BlobStore, type Scope, type StoredWorkflow, type Tagged, type TrashedWorkflow, type VersionMeta, type WorkflowMeta, type WorkflowStore } from "@cvflow/store";

interface Entry {
  workflow: StoredWorkflow;
  etag: string;
  versions: StoredWorkflow[];
}

let sequence = 0;
const nextId = (): string => `v${String(++sequence).padStart(6, "0")}`;

export class MemoryWorkflowStore implements WorkflowStore {
  readonly current = new Map<string, Entry>();
  readonly trashed = new Map<string, Entry & { deletedAt: string }>();
  reads = 0;

  async list(workspace: string): Promise<WorkflowMeta[]> {
    return [...this.current.values()].filter((e) => e.workflow.workspace === workspace).map((e) => meta(e.workflow));
  }

  async get(workspace: string, url: string): Promise<Tagged<StoredWorkflow> | undefined> {
    this.reads++;
    const entry = this.current.get(`${workspace}/${url}`);
    return entry && { value: structuredClone(entry.workflow), etag: entry.etag };
  }

  async versions(workspace: string, url: string): Promise<VersionMeta[]> {
    const entry = this.entry(workspace, url);
    return entry.versions.map((v) => ({ versionId: v.versionId, createdAt: v.updatedAt, name: v.name })).reverse();
  }

  async getVersion(workspace: string, url: string, versionId: string): Promise<StoredWorkflow | undefined> {
    this.reads++;
    return this.current.get(`${workspace}/${url}`)?.versions.find((v) => v.versionId === versionId);
  }

  async create(workspace: string, input: { url: string; name: string; specification: Record<string, unknown>; public?: boolean }): Promise<Tagged<StoredWorkflow>> {
    const key = `${workspace}/${input.url}`;
    if (this.current.has(key)) throw new WorkflowError("workflow_exists", `Workflow "${input.url}" exists`, 409);
    const now = new Date().toISOString();
    const workflow: StoredWorkflow = { workspace, id: input.url, url: input.url, name: input.name, public: input.public ?? false, createdAt: now, updatedAt: now, versionId: nextId(), specification: input.specification };
    return this.put(key, workflow, []);
  }

  async update(workspace: string, url: string, changes: { name?: string; specification?: Record<string, unknown>; public?: boolean }, ifMatch?: string): Promise<Tagged<StoredWorkflow>> {
    const entry = this.entry(workspace, url);
    if (ifMatch !== undefined && ifMatch !== entry.etag) throw new WorkflowError("precondition_failed", "stale", 412);
    const workflow = { ...entry.workflow, ...definedOnly(changes), updatedAt: new Date().toISOString(), versionId: nextId() };
    return this.put(`${workspace}/${url}`, workflow, entry.versions);
  }

  async remove(workspace: string, url: string, ifMatch?: string): Promise<void> {
    const entry = this.entry(workspace, url);
    if (ifMatch !== undefined && ifMatch !== entry.etag) throw new WorkflowError("precondition_failed", "stale", 412);
    this.current.delete(`${workspace}/${url}`);
    this.trashed.set(`${workspace}/${url}`, { ...entry, deletedAt: new Date().toISOString() });
  }

  async trash(workspace: string): Promise<TrashedWorkflow[]> {
    return [...this.trashed.values()].filter((e) => e.workflow.workspace === workspace).map((e) => ({ ...meta(e.workflow), deletedAt: e.deletedAt }));
  }

  async restore(workspace: string, url: string): Promise<Tagged<StoredWorkflow>> {
    const key = `${workspace}/${url}`;
    const entry = this.trashed.get(key);
    if (!entry) throw new WorkflowError("workflow_not_found", "not in the trash", 404);
    if (this.current.has(key)) throw new WorkflowError("workflow_exists", "taken", 409);
    this.trashed.delete(key);
    this.current.set(key, entry);
    return { value: structuredClone(entry.workflow), etag: entry.etag };
  }

  private entry(workspace: string, url: string): Entry {
    const entry = this.current.get(`${workspace}/${url}`);
    if (!entry) throw new WorkflowError("workflow_not_found", `No workflow "${url}"`, 404);
    return entry;
  }

  private put(key: string, workflow: StoredWorkflow, versions: StoredWorkflow[]): Tagged<StoredWorkflow> {
    const etag = createHash("md5").update(JSON.stringify(workflow)).digest("hex");
    this.current.set(key, { workflow, etag, versions: [...versions, workflow] });
    return { value: structuredClone(workflow), etag };
  }
}

function meta(w: StoredWorkflow): WorkflowMeta {
  const { specification: _spec, ...rest } = w;
  return rest;
}

function definedOnly<T extends object>(changes: T): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class MemoryApiKeyStore implements ApiKeyStore {
  private readonly records = new Map<string, ApiKeyRecord>();
  finds = 0;

  async create(workspace: string, scopes: readonly Scope[], name: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = `cvf_${randomUUID()}`;
    const record = { workspace, scopes: [...scopes], name, createdAt: new Date().toISOString() };
    this.records.set(key, record);
    return { key, record };
  }

  async put(key: string, record: ApiKeyRecord): Promise<void> {
    this.records.set(key, record);
  }

  async find(key: string): Promise<ApiKeyRecord | undefined> {
    this.finds++;
    return this.records.get(key);
  }
}

export class MemoryBlobStore implements BlobStore {
  readonly bucket = "cvflow-test";
  readonly objects = new Map<string, { body: Uint8Array; contentType: string }>();

  async presignUpload(workspace: string, contentType: string, ttlSeconds = 900): Promise<{ url: string; key: string; reference: string; expiresAt: string }> {
    const key = `${uploadsOf(workspace)}${randomUUID()}`;
    return { url: `http://s3.test/${this.bucket}/${key}?put&type=${encodeURIComponent(contentType)}`, key, reference: `s3://${this.bucket}/${key}`, expiresAt: new Date(Date.now() + ttlSeconds * 1000).toISOString() };
  }

  async put(key: string, body: Uint8Array, contentType: string): Promise<void> {
    this.objects.set(key, { body, contentType });
  }

  async presignGet(key: string): Promise<string> {
    return `http://s3.test/${this.bucket}/${key}?X-Amz-Signature=test`;
  }

  async get(bucket: string, key: string, maxBytes: number): Promise<Uint8Array> {
    const object = bucket === this.bucket ? this.objects.get(key) : undefined;
    if (!object) throw new WorkflowError("object_not_found", `s3://${bucket}/${key} does not exist`, 404);
    if (object.body.length > maxBytes) throw new WorkflowError("object_too_large", "too large", 413);
    return object.body;
  }
}
