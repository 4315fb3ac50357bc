/**
 * The local S3-protocol server: s3rver on loopback, its data on disk under `dataDir` (so a second
 * start finds the objects of the first), with S3's conditional writes added in front of it and its
 * object-created events in S3's shape. Every request must be signed with the server's key pair
 * (s3-signature.ts). Clients reach it with `createS3Client` from @cvflow/store, given `endpoint`,
 * `region` and `credentials` from here.
 */
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import S3rver from "s3rver";
import { listen } from "./listen.js";
import { localS3Credentials } from "./local-secrets.js";
import { conditionalWrites, currentObjectOperation } from "./s3-conditional-writes.js";
import { listContinuation } from "./s3-list-continuation.js";
import { emptyCounts, requestCounter, type S3RequestCounts } from "./s3-request-counts.js";
import { signedRequestsOnly } from "./s3-signature.js";
import { objectCreatedEvents, type ObjectCreatedEvent } from "./object-created.js";

export interface S3ServerOptions {
  /** The bucket cvflow uses; created when absent. */
  bucket: string;
  /** Default: CVFLOW_DATA_DIR, else `.data` (relative to the working directory). Objects go to `<dataDir>/s3`. */
  dataDir?: string;
  /** 0 picks a free port. Default 4568. */
  port?: number;
  /** Default 127.0.0.1: the server is for this machine only. */
  host?: string;
}

export type ObjectCreatedHandler = (event: ObjectCreatedEvent) => void | Promise<void>;

export interface S3Server {
  /** `http://host:port`, for `createS3Client({ endpoint })`. */
  readonly endpoint: string;
  readonly port: number;
  readonly bucket: string;
  readonly region: string;
  /** The one key pair requests must be signed with: the data folder's (local-secrets.ts). */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Called for each object stored, after the request that stored it was handled; returns an unsubscribe function. */
  on(event: "objectCreated", handler: ObjectCreatedHandler): () => void;
  /** The requests answered since the start, by the kind S3 prices them (a copy: subtract two with countsBetween). */
  requestCounts(): S3RequestCounts;
  stop(): Promise<void>;
}

export const LOCAL_S3_REGION = "us-east-1";
/** How long stop() lets requests in flight finish before it ends every connection. */
const STOP_GRACE_MS = 1_000;

export const DEFAULT_S3_PORT = 4568;

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Browsers PUT presigned uploads and GET presigned results (the debugger page's large images), as
 * the deployed bucket's CORS rule lets them (infra/bucket-rules.ts). Any origin: the page's port
 * may be chosen after this server's, and a presigned URL is its own credential.
 */
const BROWSER_CORS = `<CORSConfiguration><CORSRule>
<AllowedOrigin>*</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>
<AllowedHeader>content-type</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>3600</MaxAgeSeconds>
</CORSRule></CORSConfiguration>`;

export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const { bucket } = options;
  if (!BUCKET_NAME.test(bucket)) throw new Error(`"${bucket}" is not a valid S3 bucket name`);
  const host = options.host ?? "127.0.0.1";
  const dataDir = resolve(options.dataDir ?? process.env["CVFLOW_DATA_DIR"] ?? ".data");
  const server = new S3rver({
    address: host,
    port: options.port ?? DEFAULT_S3_PORT,
    directory: join(dataDir, "s3"),
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [BROWSER_CORS] }],
  });
  const credentials = await localS3Credentials(dataDir);
  // Koa composes its middleware when it starts listening: first in the stack runs first.
  const counts = emptyCounts();
  server.middleware.unshift(requestCounter(counts), signedRequestsOnly(credentials), conditionalWrites(server.store));
  // Just before s3rver's router, inside its XML encoder: it rewrites a listing's body while that is still an object.
  server.middleware.splice(server.middleware.length - 1, 0, listContinuation());

  const handlers = new Set<ObjectCreatedHandler>();
  server.on("event", (notification) => {
    // s3rver emits while it handles the request; S3 notifies after it, and so do these handlers.
    for (const event of objectCreatedEvents(notification, currentObjectOperation())) {
      for (const handler of handlers) setImmediate(() => dispatch(handler, event));
    }
  });

  await server.configureBuckets();
  // Our own HTTP server around s3rver's request handler: s3rver's run() leaves a failed listen (a
  // port in use) as an unhandled 'error' event that ends the process; listen() rejects instead.
  const http = createServer(server.callback());
  // The SDK keeps its connections open between requests. With node's 5 s keep-alive the server
  // closed idle ones just as a run ~5 s apart reused them (ECONNRESET on a PUT, a 500 for the
  // client); its clients are this machine's own, so idle connections may stay far longer.
  http.keepAliveTimeout = 120_000;
  const address = await listen(http, options.port ?? DEFAULT_S3_PORT, host);
  return {
    endpoint: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    bucket,
    region: LOCAL_S3_REGION,
    credentials: { ...credentials },
    on(_event: "objectCreated", handler: ObjectCreatedHandler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    requestCounts: () => ({ ...counts }),
    async stop() {
      handlers.clear();
      const closed = new Promise<void>((done, fail) => http.close((error) => (error ? fail(error) : done())));
      // close() ends idle connections and waits for the others: requests in flight finish (an
      // object cut mid-write would be left truncated on disk). A connection the SDK's clients leave
      // open between requests of a streamed upload would hold it for the keep-alive time: after a
      // grace it is ended too.
      const grace = setTimeout(() => http.closeAllConnections(), STOP_GRACE_MS);
      await closed.finally(() => clearTimeout(grace));
    },
  };
}

async function dispatch(handler: ObjectCreatedHandler, event: ObjectCreatedEvent): Promise<void> {
  try {
    await handler(event);
  } catch (error) {
    console.error(`cvflow local S3: an objectCreated handler failed for s3://${event.bucket}/${event.key}:`, error);
  }
}
