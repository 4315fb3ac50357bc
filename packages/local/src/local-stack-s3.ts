/**
 * How a process beside a running local stack (`npm run api-key`) reaches the stack's S3 server:
 * from the same settings `npm start` reads (CVFLOW_S3_PORT, CVFLOW_DATA_DIR), signing with the
 * key pair kept in the stack's data folder.
 */
import { existsSync } from "node:fs";
import { localS3Credentials } from "./local-secrets.js";
import { LOCAL_S3_REGION } from "./s3-server.js";
import { StackStartError } from "./stack-start-error.js";
import { dataDir, LOCAL_BUCKET, s3Port } from "./stack-settings.js";

export interface LocalStackS3 {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  bucket: string;
}

export async function localStackS3(env: Record<string, string | undefined> = process.env): Promise<LocalStackS3> {
  const port = s3Port(env);
  if (port === 0) throw new StackStartError("invalid_setting", "CVFLOW_S3_PORT=0 names no port: set it to the port of the running stack's S3 server (`npm start` prints it)");
  const folder = dataDir(env);
  if (!existsSync(folder)) throw new StackStartError("invalid_setting", `no local stack has kept data in ${folder}: start one with \`npm start\` (from the same folder, with the same CVFLOW_DATA_DIR)`);
  return { endpoint: `http://127.0.0.1:${port}`, region: LOCAL_S3_REGION, credentials: await localS3Credentials(folder), bucket: LOCAL_BUCKET };
}
