/** What every ApiKeyStore does (packages/store/src/types.ts), run against each implementation. */
import { describe, expect, it } from "vitest";
import { API_KEY_PREFIX, type ApiKeyStore } from "../../src/index.js";
import { useStore, type MakeStore } from "./store-under-test.js";

export function describeApiKeyStoreContract(name: string, makeStore: MakeStore<ApiKeyStore>): void {
  describe(`${name}: the ApiKeyStore contract`, () => {
    let keys: ApiKeyStore;
    useStore(makeStore, (made) => (keys = made));

    it("creates a cvf_ key shown once and finds its record by it", async () => {
      const { key, record } = await keys.create("acme", ["workflow:read", "workflow:run"], "ci");
      expect(key).toMatch(/^cvf_[A-Za-z0-9_-]{43}$/);
      expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
      expect(record).toEqual({ workspace: "acme", scopes: ["workflow:read", "workflow:run"], name: "ci", createdAt: expect.any(String) });
      expect(await keys.find(key)).toEqual(record);
    });

    it("finds nothing for a wrong, altered, empty or oversized key", async () => {
      const { key } = await keys.create("acme", ["workflow:run"], "runner");
      const altered = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
      for (const wrong of [altered, "cvf_" + "A".repeat(43), "", key + " ", "x".repeat(10_000), key.toUpperCase()]) {
        expect(await keys.find(wrong)).toBeUndefined();
      }
    });

    it("registers a key given in advance (the local dev key), idempotently", async () => {
      const record = { workspace: "local", scopes: ["workflow:read", "workflow:create", "workflow:update", "workflow:run"] as const, name: "dev", createdAt: "2025-01-01T00:00:00.000Z" };
      await keys.put("cvf_dev_local_key", { ...record, scopes: [...record.scopes] });
      await keys.put("cvf_dev_local_key", { ...record, scopes: [...record.scopes] });
      expect(await keys.find("cvf_dev_local_key")).toEqual(record);
    });

    it("refuses unknown scopes, invalid workspaces and keys that are not keys", async () => {
      await expect(keys.create("acme", ["workflow:delete" as never], "bad")).rejects.toMatchObject({ code: "invalid_scope", status: 400 });
      await expect(keys.create("a/b", ["workflow:run"], "bad")).rejects.toMatchObject({ code: "invalid_workspace", status: 400 });
      const record = { workspace: "acme", scopes: ["workflow:run" as const], name: "bad", createdAt: "2025-01-01T00:00:00.000Z" };
      await expect(keys.put("", record)).rejects.toMatchObject({ code: "invalid_api_key", status: 400 });
      await expect(keys.put("x".repeat(513), record)).rejects.toMatchObject({ code: "invalid_api_key", status: 400 });
    });
  });
}
