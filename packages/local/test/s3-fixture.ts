/** A local S3 server on an ephemeral loopback port, its data in a fresh temporary directory; also the stores' tests' bucket (`@cvflow/local/s3-fixture`). */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { createS3Client } from "@cvflow/store";
import { startS3Server, type S3Server } from "../src/index.js";

export interface LocalS3 {
  server: S3Server;
  client: S3Client;
  bucket: string;
  dataDir: string;
  /** Stops the server and removes its data. */
  close(): Promise<void>;
}

export async function startLocalS3(bucket = "cvflow-test"): Promise<LocalS3> {
  const dataDir = await mkdtemp(join(tmpdir(), "cvflow-s3-"));
  const server = await startS3Server({ bucket, dataDir, port: 0, host: "127.0.0.1" });
  const client = createS3Client({ endpoint: server.endpoint, region: server.region, credentials: server.credentials });
  return {
    server,
    client,
    bucket,
    dataDir,
    async close() {
      client.destroy();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
