/**
 * Lambda's response streaming as the gateway plays it. On Lambda the Node.js runtime defines the
 * `awslambda` global: `streamifyResponse(handler)` marks a handler as streaming (the runtime's
 * own symbol), and `HttpResponseStream.from(stream, {statusCode, headers})` attaches the status
 * and headers that go out before the body. Here the same members are installed when absent, and a
 * marked handler is invoked with a response stream that writes to the node:http response chunk
 * by chunk: the status and headers at the first write (middy writes an empty chunk at once to
 * send them), then each chunk as it comes, no Content-Length, no buffering.
 */
import type { ServerResponse } from "node:http";
import { Writable } from "node:stream";

/** The runtime's mark on a streaming handler, and its value for response streaming. */
const HANDLER_STREAMING = Symbol.for("aws.lambda.runtime.handler.streaming");
const STREAM_RESPONSE = "response";

export interface Prelude {
  statusCode?: number;
  headers?: Record<string, string | number | boolean>;
  cookies?: string[];
}

/** A response stream that takes the runtime's prelude: the gateway's (below), or a test runtime's. */
export interface PreludeStream extends Writable {
  setPrelude(prelude: Prelude): void;
}

export type StreamingHandler = (event: unknown, responseStream: Writable, context: unknown) => Promise<unknown>;

export function isStreamingHandler(handler: unknown): handler is StreamingHandler {
  return typeof handler === "function" && (handler as unknown as Record<symbol, unknown>)[HANDLER_STREAMING] === STREAM_RESPONSE;
}

/** The gateway's stand-in for the runtime's response stream. */
export class LocalResponseStream extends Writable implements PreludeStream {
  #prelude: Prelude = {};
  #contentType = "application/octet-stream";
  // A plain field, not a parameter property: the image test's runtime loads this file with Node's type stripping.
  private readonly response: ServerResponse;

  constructor(response: ServerResponse) {
    super();
    this.response = response;
  }

  setContentType(contentType: string): void {
    this.#contentType = contentType;
  }

  setPrelude(prelude: Prelude): void {
    this.#prelude = prelude;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#sendHead();
    if (chunk.length === 0) return callback();
    this.response.write(chunk, (error) => callback(error ?? null));
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#sendHead();
    this.response.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.response.writableEnded) this.response.destroy();
    callback(error);
  }

  #sendHead(): void {
    if (this.response.headersSent) return;
    const { statusCode = 200, headers = {}, cookies } = this.#prelude;
    if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) this.response.setHeader("content-type", this.#contentType);
    for (const [name, value] of Object.entries(headers)) this.response.setHeader(name, String(value));
    if (cookies?.length) this.response.setHeader("set-cookie", cookies);
    this.response.writeHead(statusCode);
    this.response.flushHeaders();
  }
}

const localAwsLambda = {
  streamifyResponse<T extends object>(handler: T): T {
    Object.defineProperty(handler, HANDLER_STREAMING, { value: STREAM_RESPONSE });
    return handler;
  },
  HttpResponseStream: {
    from(stream: Writable, prelude: Prelude): Writable {
      if (typeof (stream as Partial<PreludeStream>).setPrelude !== "function") throw new Error("HttpResponseStream.from: not a response stream of this runtime (it takes no prelude)");
      (stream as PreludeStream).setPrelude(prelude);
      return stream;
    },
  },
};

/**
 * Gives the `awslambda` global the runtime's streaming members, where they are missing. The
 * object may be there already without them: the AWS SDK's invoke store makes `awslambda = {}`.
 */
export function installLambdaStreamingRuntime(): void {
  const global = globalThis as { awslambda?: Record<string, unknown> };
  const runtime = (global.awslambda ??= {});
  runtime["streamifyResponse"] ??= localAwsLambda.streamifyResponse;
  runtime["HttpResponseStream"] ??= localAwsLambda.HttpResponseStream;
}
