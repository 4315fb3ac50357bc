/** The stores' tests run against the real local S3 server (@cvflow/local) on an ephemeral loopback port. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { startS3Server } from "@cvflow/local";
import { createS3Client } from "../src/index.js";
import type { MakeStore } from "./contract/store-under-test.js";

export interface LocalBucket {
  client: S3Client;
  bucket: string;
  close(): Promise<void>;
}

export async function startLocalBucket(bucket = "cvflow-store-test"): Promise<LocalBucket> {
  const dataDir = await mkdtemp(join(tmpdir(), "cvflow-store-"));
  const server = await startS3Server({ bucket, dataDir, port: 0 });
  const client = createS3Client({ endpoint: server.endpoint, region: server.region, credentials: server.credentials });
  return {
    client,
    bucket,
    async close() {
      client.destroy();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A store over a fresh local bucket, as a contract suite (or useStore) takes it. */
export function onLocalBucket<T>(make: (local: LocalBucket) => T): MakeStore<T> {
  return async () => {
    const local = await startLocalBucket();
    return { store: make(local), close: () => local.close() };
  };
}
