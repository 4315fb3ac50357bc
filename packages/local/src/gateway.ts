/**
 * The Function-URL gateway: node:http on loopback in front of a Lambda HTTP handler, doing what
 * a Function URL does — each request becomes a payload-2.0 event, the handler runs with a Lambda
 * context whose remaining time counts down from the function's timeout, and its result becomes
 * the response. The Function URL's limits hold here too: a request payload over 6 MB is a 413
 * before the function is invoked; a response over 6 MB, a timeout or a thrown error is a 502.
 * What node:http refuses itself (headers over its 16 KB limit: 431) is a JSON error too, every one
 * in the API's error body (@cvflow/service's errorBody). A handler marked for response streaming
 * (RESPONSE_STREAM, lambda-streaming.ts) writes its response as it goes: no 6 MB limit on it,
 * and a client that leaves closes the handler's response stream.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { WorkflowError } from "@cvflow/engine";
import { errorBody, requestTooLarge } from "@cvflow/service";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { answerClientErrors } from "./client-errors.js";
import { functionFailed, functionTimeout, gatewayFailed, responsePayloadTooLarge } from "./errors.js";
import { functionUrlEvent } from "./function-url-event.js";
import type { IdleCollection } from "./idle-collection.js";
import { lambdaContext } from "./lambda-context.js";
import { isStreamingHandler, LocalResponseStream, type StreamingHandler } from "./lambda-streaming.js";
import { listen } from "./listen.js";

/** A buffered handler's signature; a handler marked by `awslambda.streamifyResponse` takes (event, responseStream, context) instead. */
export type LambdaHttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

export interface GatewayOptions {
  /** 0 picks a free port. */
  port: number;
  handler: LambdaHttpHandler;
  /** The function's timeout; default 30 s. */
  timeoutMs?: number;
  /** Default "cvflow-api". */
  functionName?: string;
  /** Default 127.0.0.1: the gateway is for this machine only. */
  host?: string;
  /** Told when each request starts and ends, to collect garbage once the server is idle (the local stack's). */
  idle?: Pick<IdleCollection, "started" | "ended">;
}

export interface Gateway {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Lambda's payload limit for synchronous invocations, both ways. */
export const FUNCTION_URL_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

interface StructuredResult {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? "127.0.0.1";
  const server = createServer((request, response) => {
    options.idle?.started();
    serve(request, response, options)
      .catch((error: unknown) => {
        console.error("gateway:", error);
        if (!response.headersSent) send(response, gatewayError(gatewayFailed()));
        else response.destroy();
      })
      .finally(() => options.idle?.ended());
  });
  answerClientErrors(server);
  const { port } = await listen(server, options.port, host);
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(request: IncomingMessage, response: ServerResponse, options: GatewayOptions): Promise<void> {
  const body = await readBody(request, FUNCTION_URL_PAYLOAD_LIMIT);
  const event = body && functionUrlEvent(request, body);
  // The limit is on the invocation's payload: the event's JSON, a binary body base64-encoded in it.
  if (!event || Buffer.byteLength(JSON.stringify(event)) > FUNCTION_URL_PAYLOAD_LIMIT) {
    return send(response, gatewayError(requestTooLarge(undefined, FUNCTION_URL_PAYLOAD_LIMIT)));
  }
  const context = lambdaContext(options.functionName ?? "cvflow-api", options.timeoutMs ?? DEFAULT_TIMEOUT_MS, randomUUID());
  const { handler } = options;
  if (isStreamingHandler(handler)) return serveStream(handler, event, context, response);
  let result: unknown;
  try {
    result = await invoke(() => handler(event, context), context);
  } catch (error) {
    if (error instanceof FunctionTimeout) return send(response, gatewayError(functionTimeout(error.timeoutMs)));
    console.error(`gateway: the function failed (request ${context.awsRequestId}):`, error);
    return send(response, gatewayError(functionFailed(context.awsRequestId)));
  }
  const structured = asStructured(result);
  if (Buffer.byteLength(JSON.stringify(structured)) > FUNCTION_URL_PAYLOAD_LIMIT) {
    return send(response, gatewayError(responsePayloadTooLarge(FUNCTION_URL_PAYLOAD_LIMIT)));
  }
  send(response, structured);
}

class FunctionTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/**
 * A streaming invocation: the response goes out as the handler writes it. Failures before the
 * first byte are answered as a buffered invocation's; after it, or at the timeout, the connection
 * is cut, as Lambda cuts a stream. A failure after the client left is no failure of the function.
 */
async function serveStream(handler: StreamingHandler, event: APIGatewayProxyEventV2, context: Context, response: ServerResponse): Promise<void> {
  const stream = new LocalResponseStream(response);
  response.once("close", () => {
    if (!response.writableFinished) stream.destroy();
  });
  try {
    await invoke(() => handler(event, stream, context), context);
    if (!stream.writableEnded) stream.end();
  } catch (error) {
    if (response.destroyed && !(error instanceof FunctionTimeout)) return;
    if (response.headersSent) {
      response.destroy();
      return;
    }
    if (error instanceof FunctionTimeout) return send(response, gatewayError(functionTimeout(error.timeoutMs)));
    console.error(`gateway: the function failed (request ${context.awsRequestId}):`, error);
    send(response, gatewayError(functionFailed(context.awsRequestId)));
  }
}

/** The handler's result, or FunctionTimeout once the context has no time left (the handler's work goes on unobserved). */
async function invoke(call: () => Promise<unknown>, context: Context): Promise<unknown> {
  const timeoutMs = context.getRemainingTimeInMillis();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FunctionTimeout(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The body, or undefined once it passes `limit` (the rest is read and dropped, so the client gets its answer). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  return size <= limit ? Buffer.concat(chunks, size) : undefined;
}

/** As a Function URL reads a result: a structured one as it is; anything else is a 200 JSON body. */
function asStructured(result: unknown): StructuredResult {
  if (typeof result === "object" && result !== null && typeof (result as StructuredResult).statusCode === "number") return result as StructuredResult;
  return { statusCode: 200, headers: { "content-type": "application/json" }, body: typeof result === "string" ? result : JSON.stringify(result ?? null) };
}

/** A result as a Function URL sends it: a base64 body (`isBase64Encoded`) as its bytes. */
function send(response: ServerResponse, result: StructuredResult): void {
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded ? "base64" : "utf8");
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, String(value));
  if (result.cookies?.length) response.setHeader("set-cookie", result.cookies);
  // A 304 has no body, and a Content-Length on it would name the body it stands for (RFC 9110 §8.6).
  if (result.statusCode !== 304) response.setHeader("content-length", body.length);
  response.writeHead(result.statusCode);
  response.end(body);
}

function gatewayError({ status, code, message, details }: WorkflowError): StructuredResult {
  return {
    statusCode: status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(errorBody(code, message, status, details)),
  };
}
