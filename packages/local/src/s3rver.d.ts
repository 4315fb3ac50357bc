/** The part of s3rver 3.7 (a Koa application, untyped) that the local S3 server uses. */
declare module "s3rver" {
  import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from "node:http";

  namespace S3rver {
    /** Koa's context, as far as cvflow's middleware reads and writes it. */
    interface Context {
      method: string;
      /** The request path, still percent-encoded. */
      path: string;
      query: Record<string, string | string[] | undefined>;
      headers: IncomingHttpHeaders;
      status: number;
      body: unknown;
      type: string;
      set(field: string, value: string): void;
      req: IncomingMessage;
      res: ServerResponse;
      /** s3rver's store, on the context of every request (a middleware may shadow it for one). */
      store: unknown;
    }
    type Middleware = (ctx: Context, next: () => Promise<void>) => Promise<void>;

    /** What s3rver emits as "event": an S3 notification with one record, its key not URL-encoded. */
    interface Notification {
      Records: {
        eventName: string;
        s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
      }[];
    }

    interface Options {
      address?: string;
      port?: number;
      silent?: boolean;
      directory?: string;
      vhostBuckets?: boolean;
      allowMismatchedSignatures?: boolean;
      /** Buckets made (when absent) by configureBuckets(), with their configurations (CORS, website) as XML. */
      configureBuckets?: { name: string; configs?: string[] }[];
    }
  }

  class S3rver {
    constructor(options: S3rver.Options);
    /** Koa's middleware stack, composed when the server starts listening. */
    middleware: S3rver.Middleware[];
    store: {
      putBucket(name: string): Promise<unknown>;
      /** Rejects with an ENOENT error when the object does not exist. */
      getMetadata(bucket: string, key: string): Promise<{ etag: string; "content-length": number }>;
      listObjects(bucket: string, options: Record<string, unknown>): Promise<{ objects: { key: string }[]; commonPrefixes: string[]; isTruncated: boolean }>;
    };
    /** Creates the buckets of the `configureBuckets` option and puts their configurations. */
    configureBuckets(): Promise<unknown>;
    /** Koa's request handler (composing the middleware), for an HTTP server of one's own. */
    callback(): RequestListener;
    on(event: "event", listener: (notification: S3rver.Notification) => void): this;
    on(event: "error", listener: (error: Error) => void): this;
  }

  export = S3rver;
}
