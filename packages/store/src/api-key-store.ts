/**
 * API keys in S3, stored by the SHA-256 of the key (`keys/{sha256 hex}.json`): the plain key is
 * shown once and never stored. A lookup hashes the presented key first, so neither the object it
 * reads nor how long that takes depends on how much of a real key was guessed.
 */
import { timingSafeEqual } from "node:crypto";
import type { S3Client } from "@aws-sdk/client-s3";
import { checkedRecord, checkKeyShape, hashKey, isKeyShaped, newApiKey } from "./api-keys.js";
import { JsonObjects } from "./s3-objects.js";
import type { ApiKeyRecord, ApiKeyStore, Scope } from "./types.js";

export { API_KEY_PREFIX } from "./api-keys.js";
export const API_KEYS_PREFIX = "keys/";

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
    const key = newApiKey();
    const record = checkedRecord({ workspace, scopes: [...scopes], name, createdAt: new Date().toISOString() });
    const keyHash = hashKey(key);
    await this.#objects.write(API_KEYS_PREFIX + keyHash + ".json", { keyHash, record } satisfies StoredKey, { ifNoneMatch: "*" });
    return { key, record };
  }

  async put(key: string, record: ApiKeyRecord): Promise<void> {
    checkKeyShape(key);
    const keyHash = hashKey(key);
    await this.#objects.write(API_KEYS_PREFIX + keyHash + ".json", { keyHash, record: checkedRecord(record) } satisfies StoredKey);
  }

  async find(key: string): Promise<ApiKeyRecord | undefined> {
    if (!isKeyShaped(key)) return undefined;
    const keyHash = hashKey(key);
    const stored = (await this.#objects.read<StoredKey>(API_KEYS_PREFIX + keyHash + ".json"))?.value;
    if (!stored || typeof stored.keyHash !== "string" || stored.keyHash.length !== keyHash.length) return undefined;
    return timingSafeEqual(Buffer.from(stored.keyHash), Buffer.from(keyHash)) ? stored.record : undefined;
  }
}
