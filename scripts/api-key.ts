/**
 * `npm run api-key -- --workspace WS [--scopes workflow:run,workflow:read] [--name TEXT] [--bucket NAME]`:
 * creates an API key and prints it (shown once: only its hash is stored).
 *
 * Without --bucket, in the local stack that `npm start` runs (its S3 server on CVFLOW_S3_PORT,
 * default 4568, its data in CVFLOW_DATA_DIR, default .data): start it first. With --bucket, in a deployment's bucket (the `bucket` output of
 * `sst deploy`) with the AWS credentials and region of the environment; CVFLOW_S3_ENDPOINT points
 * it at an S3-protocol server other than AWS. A failure is one line and exit 1, no stack trace.
 */
import { parseArgs } from "node:util";
import { localStackS3 } from "@cvflow/local";
import { checkWorkspaceNotReserved } from "@cvflow/service";
import { createS3Client, S3ApiKeyStore, SCOPES, type Scope } from "@cvflow/store";
import { s3Connection } from "../functions/deployment-env.js";

const USAGE = `usage: npm run api-key -- --workspace WS [--scopes ${SCOPES.join(",")}] [--name TEXT] [--bucket NAME]
  without --bucket: a key of the local stack (npm start must be running)
  with --bucket:    a key in a deployment's bucket, with the environment's AWS credentials and region`;

function fail(message: string, exitCode = 1): never {
  console.error(`api-key: ${message}`);
  process.exit(exitCode);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      bucket: { type: "string" },
      workspace: { type: "string" },
      scopes: { type: "string", default: SCOPES.join(",") },
      name: { type: "string", default: "created with npm run api-key" },
      help: { type: "boolean", short: "h" },
    },
  }));
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.workspace) fail(`--workspace is required\n${USAGE}`, 2);
try {
  checkWorkspaceNotReserved(values.workspace);
} catch (error) {
  const { code, message } = error as Error & { code?: string };
  fail(`${code}: ${message}`);
}

const local = values.bucket === undefined ? await localStackS3().catch((error: Error) => fail(error.message)) : undefined;
const deployed = s3Connection(process.env);
const client = createS3Client(local ?? { region: deployed.region, endpoint: deployed.s3Endpoint });
const bucket = local?.bucket ?? values.bucket!;
const scopes = values.scopes.split(",").map((scope) => scope.trim()) as Scope[];
try {
  const { key, record } = await new S3ApiKeyStore(client, bucket).create(values.workspace, scopes, values.name);
  console.log(key);
  console.error(`workspace ${record.workspace}, scopes ${record.scopes.join(", ")}${local ? `, in the local stack (${local.endpoint})` : `, in s3://${bucket}`}: keep the key; it is not shown again`);
} catch (error) {
  fail(explain(error));
}

/** What went wrong, and what to do about it, in one line. */
function explain(error: unknown): string {
  const { name, message, code } = error as Error & { code?: string };
  if (local && (code === "ECONNREFUSED" || /ECONNREFUSED/.test(message))) {
    return `no local stack answers at ${local.endpoint}: start it with \`npm start\` (or set CVFLOW_S3_PORT to the port of its S3 server); for a deployment, pass --bucket`;
  }
  if (name === "CredentialsProviderError") {
    return `no AWS credentials for s3://${bucket}: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_REGION); without --bucket the key is made in the local stack`;
  }
  if (name === "NoSuchBucket") return `there is no bucket ${bucket}${local ? " in the local stack" : " (the `bucket` output of `sst deploy`)"}`;
  if (name === "AccessDenied" || name === "Forbidden") return `the credentials may not write to s3://${bucket}: ${message}`;
  // WorkflowError from the key store (an invalid workspace name or scope) carries its code.
  return `${code ?? name}: ${message}`;
}
