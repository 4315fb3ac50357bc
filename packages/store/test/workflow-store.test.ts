/**
 * The WorkflowStore contract on S3WorkflowStore (over the local S3 server) and on the in-memory
 * store, and what only the S3 store's layout shows: a loser's version object is taken back.
 */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import type { LocalS3 } from "@cvflow/local/s3-fixture";
import { S3WorkflowStore, workflowKeys } from "../src/index.js";
import { MemoryWorkflowStore } from "../src/memory/index.js";
import { describeWorkflowStoreContract, spec } from "./contract/workflow-store-contract.js";
import { useStore } from "./contract/store-under-test.js";
import { onLocalBucket } from "./local-s3.js";

describeWorkflowStoreContract("S3WorkflowStore", onLocalBucket((local) => new S3WorkflowStore(local.client, local.bucket)));

describeWorkflowStoreContract("MemoryWorkflowStore", async () => ({ store: new MemoryWorkflowStore(), close: async () => {} }));

describe("S3WorkflowStore's objects", () => {
  const WS = "acme";
  let local: LocalS3;
  let store: S3WorkflowStore;
  useStore(onLocalBucket((bucket) => bucket), (bucket) => {
    local = bucket;
    store = new S3WorkflowStore(local.client, local.bucket);
  });

  async function listKeys(prefix: string): Promise<string[]> {
    const page = await local.client.send(new ListObjectsV2Command({ Bucket: local.bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((object) => object.Key!);
  }

  it("keeps only committed versions when 10 updates race with one ETag: the losers' version objects are taken back", async () => {
    const { etag } = await store.create(WS, { url: "race", name: "Race", specification: spec("start") });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.update(WS, "race", { name: `writer ${i}`, specification: spec(`writer ${i}`) }, etag)),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const versions = await store.versions(WS, "race");
    const stored = await listKeys(workflowKeys.version(WS, "race", "id").slice(0, -"id.json".length));
    expect(stored.sort()).toEqual(versions.map((version) => workflowKeys.version(WS, "race", version.versionId)).sort());
  });
});
