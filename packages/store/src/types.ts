/**
 * What the service needs of storage. Everything lives in one S3 bucket (locally, an S3-protocol
 * server on loopback), reached with the same @aws-sdk/client-s3 code in both places.
 */

export type Scope = "workflow:read" | "workflow:create" | "workflow:update" | "workflow:run";
export const SCOPES: readonly Scope[] = ["workflow:read", "workflow:create", "workflow:update", "workflow:run"];

export interface WorkflowMeta {
  workspace: string;
  /** Equals `url`: the workflow's name in routes, unique in its workspace. */
  id: string;
  url: string;
  name: string;
  public: boolean;
  createdAt: string;
  updatedAt: string;
  /** The current version; every update makes a new one. */
  versionId: string;
}

export interface StoredWorkflow extends WorkflowMeta {
  /** The bare specification (`{version, inputs, steps, outputs}`). */
  specification: Record<string, unknown>;
}

/** A value with the ETag it was read at: what an update must carry back. */
export interface Tagged<T> {
  value: T;
  etag: string;
}

export interface VersionMeta {
  versionId: string;
  createdAt: string;
  name: string;
}

export interface TrashedWorkflow extends WorkflowMeta {
  deletedAt: string;
}

/** What a create takes. */
export interface WorkflowInput {
  url: string;
  name: string;
  specification: Record<string, unknown>;
  public?: boolean;
}

/** What an update may change; what it leaves undefined stays. */
export interface WorkflowChanges {
  name?: string;
  specification?: Record<string, unknown>;
  public?: boolean;
}

/**
 * Workflows per workspace: the current one, every saved version, and a trash kept 30 days.
 * Errors are WorkflowError (from @cvflow/engine): 404 `workflow_not_found`, 409 `workflow_exists`,
 * 412 `precondition_failed` for a stale ETag — never a lost update, also under concurrent writers.
 */
export interface WorkflowStore {
  /** By url. */
  list(workspace: string): Promise<WorkflowMeta[]>;
  get(workspace: string, url: string): Promise<Tagged<StoredWorkflow> | undefined>;
  /** Newest first. */
  versions(workspace: string, url: string): Promise<VersionMeta[]>;
  getVersion(workspace: string, url: string, versionId: string): Promise<StoredWorkflow | undefined>;
  create(workspace: string, input: WorkflowInput): Promise<Tagged<StoredWorkflow>>;
  /** `ifMatch` undefined: unconditional (still atomic). */
  update(workspace: string, url: string, changes: WorkflowChanges, ifMatch?: string): Promise<Tagged<StoredWorkflow>>;
  /** Moves it to the trash. */
  remove(workspace: string, url: string, ifMatch?: string): Promise<void>;
  /** Newest removal first; a url removed twice is there twice. */
  trash(workspace: string): Promise<TrashedWorkflow[]>;
  /** Brings back the url's latest removal. */
  restore(workspace: string, url: string): Promise<Tagged<StoredWorkflow>>;
}

export interface ApiKeyRecord {
  workspace: string;
  scopes: Scope[];
  name: string;
  createdAt: string;
}

/** Keys are stored hashed (sha256); the plain key is shown once, when created. */
export interface ApiKeyStore {
  create(workspace: string, scopes: readonly Scope[], name: string): Promise<{ key: string; record: ApiKeyRecord }>;
  /** Also registers a key given in advance (e.g. the local dev key from CVFLOW_DEV_API_KEY). */
  put(key: string, record: ApiKeyRecord): Promise<void>;
  find(key: string): Promise<ApiKeyRecord | undefined>;
}

/** Objects other than workflows: uploads, large response parts, image inputs of type s3. */
export interface BlobStore {
  readonly bucket: string;
  /** A presigned PUT for an upload of `workspace`, and the s3:// reference its runs use as an image input. */
  presignUpload(workspace: string, contentType: string, ttlSeconds?: number): Promise<{ url: string; key: string; reference: string; expiresAt: string }>;
  put(key: string, body: Uint8Array, contentType: string): Promise<void>;
  presignGet(key: string, ttlSeconds?: number): Promise<string>;
  /** At most `maxBytes` (413 `image_too_large` beyond: the stores read image inputs); 404 `object_not_found`. */
  get(bucket: string, key: string, maxBytes: number, signal?: AbortSignal): Promise<Uint8Array>;
}
