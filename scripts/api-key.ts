/**
 * `npm run api-key -- --bucket NAME --workspace WS [--scopes workflow:run,workflow:read] [--name TEXT]`:
 * creates an API key in a deployment's bucket (the `bucket` output of `sst deploy`) with the
 * AWS credentials and region of the environment, and prints it: it is shown once, only its hash
 * is stored. CVFLOW_S3_ENDPOINT points it at an S3-protocol server other than AWS.
 */
import { parseArgs } from "node:util";
import { createS3Client, S3ApiKeyStore, SCOPES, type Scope } from "@cvflow/store";

const { values } = parseArgs({
  options: {
    bucket: { type: "string" },
    workspace: { type: "string" },
    scopes: { type: "string", default: SCOPES.join(",") },
    name: { type: "string", default: "created with npm run api-key" },
  },
});
if (!values.bucket || !values.workspace) {
  console.error(`usage: npm run api-key -- --bucket NAME --workspace WS [--scopes ${SCOPES.join(",")}] [--name TEXT]`);
  process.exit(2);
}
const client = createS3Client({ region: process.env["AWS_REGION"] || process.env["AWS_DEFAULT_REGION"] || "us-east-1", endpoint: process.env["CVFLOW_S3_ENDPOINT"] || undefined });
const scopes = values.scopes.split(",").map((scope) => scope.trim()) as Scope[];
const { key, record } = await new S3ApiKeyStore(client, values.bucket).create(values.workspace, scopes, values.name);
console.log(key);
console.error(`workspace ${record.workspace}, scopes ${record.scopes.join(", ")}: keep the key; it is not shown again`);
