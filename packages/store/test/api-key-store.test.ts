/** The ApiKeyStore contract on S3ApiKeyStore and the in-memory store, and how the S3 one keeps keys: by hash only. */
import { createHash } from "node:crypto";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import type { LocalS3 } from "@cvflow/local/s3-fixture";
import { S3ApiKeyStore } from "../src/index.js";
import { MemoryApiKeyStore } from "../src/memory/index.js";
import { describeApiKeyStoreContract } from "./contract/api-key-store-contract.js";
import { useStore } from "./contract/store-under-test.js";
import { onLocalBucket } from "./local-s3.js";

describeApiKeyStoreContract("S3ApiKeyStore", onLocalBucket((local) => new S3ApiKeyStore(local.client, local.bucket)));

describeApiKeyStoreContract("MemoryApiKeyStore", async () => ({ store: new MemoryApiKeyStore(), close: async () => {} }));

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

describe("S3ApiKeyStore's objects", () => {
  let local: LocalS3;
  let keys: S3ApiKeyStore;
  useStore(onLocalBucket((bucket) => bucket), (bucket) => {
    local = bucket;
    keys = new S3ApiKeyStore(local.client, local.bucket);
  });

  it("stores a key only as its hash", async () => {
    const { key } = await keys.create("acme", ["workflow:read", "workflow:run"], "ci");
    const stored = await local.client.send(new GetObjectCommand({ Bucket: local.bucket, Key: `keys/${sha256(key)}.json` }));
    const text = await stored.Body!.transformToString();
    expect(text).not.toContain(key);
    expect(text).not.toContain(key.slice(4));
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
