/** ApiKeyStore in memory, with the S3 store's contract (keys made and checked alike, known by their hash); counts finds. */
import { checkedRecord, checkKeyShape, hashKey, isKeyShaped, newApiKey } from "../api-keys.js";
import type { ApiKeyRecord, ApiKeyStore, Scope } from "../types.js";

export class MemoryApiKeyStore implements ApiKeyStore {
  /** By the key's hash. */
  readonly #records = new Map<string, ApiKeyRecord>();
  /** Calls of `find`. */
  finds = 0;

  async create(workspace: string, scopes: readonly Scope[], name: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = newApiKey();
    const record = checkedRecord({ workspace, scopes: [...scopes], name, createdAt: new Date().toISOString() });
    this.#records.set(hashKey(key), record);
    return { key, record: structuredClone(record) };
  }

  async put(key: string, record: ApiKeyRecord): Promise<void> {
    checkKeyShape(key);
    this.#records.set(hashKey(key), checkedRecord(record));
  }

  async find(key: string): Promise<ApiKeyRecord | undefined> {
    this.finds++;
    if (!isKeyShaped(key)) return undefined;
    const record = this.#records.get(hashKey(key));
    return record && structuredClone(record);
  }
}
