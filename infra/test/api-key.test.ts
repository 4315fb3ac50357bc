/** `npm run api-key` against the local S3 server: the key it prints is found in the bucket with its workspace and scopes. */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { startS3Server } from "@cvflow/local/s3-server";
import { createS3Client, S3ApiKeyStore } from "@cvflow/store";

const dataDir = await mkdtemp(join(tmpdir(), "cvflow-api-key-"));
const s3 = await startS3Server({ bucket: "cvflow-keys", dataDir, port: 0 });
afterAll(async () => {
  await s3.stop();
  await rm(dataDir, { recursive: true, force: true });
});

it("creates a key in the bucket and prints it", async () => {
  const script = new URL("../../scripts/api-key.ts", import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", script, "--bucket", "cvflow-keys", "--workspace", "acme", "--scopes", "workflow:run,workflow:read"], {
    env: { PATH: process.env["PATH"], AWS_REGION: s3.region, AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey, CVFLOW_S3_ENDPOINT: s3.endpoint },
  });
  const key = stdout.trim();
  expect(key).toMatch(/^cvf_[A-Za-z0-9_-]{43}$/);
  const keys = new S3ApiKeyStore(createS3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials }), "cvflow-keys");
  expect(await keys.find(key)).toMatchObject({ workspace: "acme", scopes: ["workflow:run", "workflow:read"] });
});
