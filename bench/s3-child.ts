/**
 * A child process of the batch benchmark: the local S3 server in a process of its own, as S3 is
 * not in the worker's Lambda — its request handling then does not run on the worker's event loop.
 * `node --import tsx bench/s3-child.ts BUCKET DATA_DIR`: prints {"endpoint", "region",
 * "credentials"} as one JSON line once serving; stops on SIGTERM.
 */
import { startS3Server } from "@cvflow/local";

const [bucket, dataDir] = process.argv.slice(2);
const server = await startS3Server({ bucket: bucket!, dataDir: dataDir!, port: 0 });
process.once("SIGTERM", () => void server.stop().then(() => process.exit(0)));
console.log(JSON.stringify({ endpoint: server.endpoint, region: server.region, credentials: server.credentials }));
