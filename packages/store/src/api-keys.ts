/**
 * What an API key is, whichever store keeps it: `cvf_` and 32 random bytes (base64url), known to
 * the store only by its SHA-256, with a record whose workspace and scopes are checked.
 */
import { createHash, randomBytes } from "node:crypto";
import { invalidApiKey, invalidScope } from "./errors.js";
import { checkWorkspace } from "./names.js";
import { SCOPES, type ApiKeyRecord } from "./types.js";

export const API_KEY_PREFIX = "cvf_";
/** Longer strings are not keys; they are refused before any hashing or reading. */
const MAX_KEY_LENGTH = 512;

export function newApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** Whether `key` may be a key at all (what `find` looks up; anything else finds nothing). */
export function isKeyShaped(key: string): boolean {
  return typeof key === "string" && key.length > 0 && key.length <= MAX_KEY_LENGTH;
}

/** A key given in advance (`put`) must be one. */
export function checkKeyShape(key: string): void {
  if (!isKeyShaped(key)) throw invalidApiKey(MAX_KEY_LENGTH);
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function checkedRecord(record: ApiKeyRecord): ApiKeyRecord {
  checkWorkspace(record.workspace);
  const unknown = record.scopes.filter((scope) => !SCOPES.includes(scope));
  if (unknown.length > 0) {
    throw invalidScope(unknown, SCOPES);
  }
  return { workspace: record.workspace, scopes: [...new Set(record.scopes)], name: record.name, createdAt: record.createdAt };
}
