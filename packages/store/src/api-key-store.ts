/**
 * API keys in S3, stored by the SHA-256 of the key (`keys/{sha256 hex}.json`): the plain key is
 * shown once and never stored. A lookup hashes the presented key first, so neither the object it
 * reads nor how long that takes depends on how much of a real key was guessed.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { WorkflowError } from "@cvflow/engine";
import { checkWorkspace } from "./names.js";
import { JsonObjects } from "./s3-objects.js";
import { SCOPES, type ApiKeyRecord, type ApiKeyStore, type Scope } from "./types.js";

export const API_KEY_PREFIX = "cvf_";
export const API_KEYS_PREFIX = "keys/";
/** Longer strings are not keys; they are refused before any hashing or reading. */
const MAX_KEY_LENGTH = 512;

interface StoredKey {
  /** The hash again, checked on every find: an object copied or renamed by hand grants nothing. */
  keyHash: string;
  record: ApiKeyRecord;
}

export class S3ApiKeyStore implements ApiKeyStore {
  readonly #objects: JsonObjects;

  constructor(client: S3Client, bucket: string) {
    this.#objects = new JsonObjects(client, bucket);
  }

  async create(workspace: string, scopes: readonly Scope[], name: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
    const record = checkedRecord({ workspace, scopes: [...scopes], name, createdAt: new Date().toISOString() });
    const keyHash = hashKey(key);
    await this.#objects.write(API_KEYS_PREFIX + keyHash + ".json", { keyHash, record } satisfies StoredKey, { ifNoneMatch: "*" });
    return { key, record };
  }

  async put(key: string, record: ApiKeyRecord): Promise<void> {
    if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new WorkflowError("invalid_api_key", `An API key is a non-empty string of at most ${MAX_KEY_LENGTH} characters`, 400, {});
    }
    const keyHash = hashKey(key);
    await this.#objects.write(API_KEYS_PREFIX + keyHash + ".json", { keyHash, record: checkedRecord(record) } satisfies StoredKey);
  }

  async find(key: string): Promise<ApiKeyRecord | undefined> {
    if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) return undefined;
    const keyHash = hashKey(key);
    const stored = (await this.#objects.read<StoredKey>(API_KEYS_PREFIX + keyHash + ".json"))?.value;
    if (!stored || typeof stored.keyHash !== "string" || stored.keyHash.length !== keyHash.length) return undefined;
    return timingSafeEqual(Buffer.from(stored.keyHash), Buffer.from(keyHash)) ? stored.record : undefined;
  }
}

function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

function checkedRecord(record: ApiKeyRecord): ApiKeyRecord {
  checkWorkspace(record.workspace);
  const unknown = record.scopes.filter((scope) => !SCOPES.includes(scope));
  if (unknown.length > 0) {
    throw new WorkflowError("invalid_scope", `Unknown scopes: ${unknown.join(", ")}; known: ${SCOPES.join(", ")}`, 400, { scopes: unknown });
  }
  return { workspace: record.workspace, scopes: [...new Set(record.scopes)], name: record.name, createdAt: record.createdAt };
}
