import { createHash } from "node:crypto";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY_PREFIX, S3ApiKeyStore } from "../src/index.js";
import { startLocalBucket, type LocalBucket } from "./local-s3.js";

let local: LocalBucket;
let keys: S3ApiKeyStore;

beforeAll(async () => {
  local = await startLocalBucket();
  keys = new S3ApiKeyStore(local.client, local.bucket);
});
afterAll(async () => {
  await local.close();
});

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

describe("S3ApiKeyStore", () => {
  it("creates a cvf_ key shown once, stored only as its hash, and finds its record by it", async () => {
    const { key, record } = await keys.create("acme", ["workflow:read", "workflow:run"], "ci");
    expect(key).toMatch(/^cvf_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(record).toEqual({ workspace: "acme", scopes: ["workflow:read", "workflow:run"], name: "ci", createdAt: expect.any(String) });
    expect(await keys.find(key)).toEqual(record);

    const stored = await local.client.send(new GetObjectCommand({ Bucket: local.bucket, Key: `keys/${sha256(key)}.json` }));
    const text = await stored.Body!.transformToString();
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(4));
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

  it("refuses unknown scopes and invalid workspaces", async () => {
    await expect(keys.create("acme", ["workflow:delete" as never], "bad")).rejects.toMatchObject({ code: "invalid_scope", status: 400 });
    await expect(keys.create("a/b", ["workflow:run"], "bad")).rejects.toMatchObject({ code: "invalid_workspace", status: 400 });
  });

  it("grants nothing when a stored record is not the one for the key that names it", async () => {
    const { key: victim } = await keys.create("acme", ["workflow:update"], "victim");
    const { key: attacker } = await keys.create("evil", ["workflow:read"], "attacker");
    // A record copied by hand under another key's name.
    const copied = await local.client.send(new GetObjectCommand({ Bucket: local.bucket, Key: `keys/${sha256(victim)}.json` }));
    await local.client.send(
      new PutObjectCommand({ Bucket: local.bucket, Key: `keys/${sha256(attacker)}.json`, Body: await copied.Body!.transformToString() }),
    );
    expect(await keys.find(attacker)).toBeUndefined();
  });
});
