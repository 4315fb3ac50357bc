/**
 * A plain HTTP request as a Lambda Function URL hands it to the function: an
 * APIGatewayProxyEventV2 (payload 2.0) with the raw path and query, lower-case headers (repeated
 * ones joined by commas), cookies split out of the Cookie header, and the body base64-encoded
 * unless its Content-Type is text.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

const TEXT_CONTENT = /^\s*(text\/|application\/(json|javascript|xml|x-www-form-urlencoded)\b|[^;]*\+(json|xml)\b)/i;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function functionUrlEvent(request: IncomingMessage, body: Buffer): APIGatewayProxyEventV2 {
  const sourceIp = request.socket.remoteAddress ?? "127.0.0.1";
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  headers["x-forwarded-for"] = sourceIp;
  headers["x-forwarded-proto"] = "http";
  headers["x-forwarded-port"] = String(request.socket.localPort ?? "");
  headers["x-amzn-trace-id"] = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, "").slice(0, 24)}`;
  const isText = TEXT_CONTENT.test(headers["content-type"] ?? "");
  return makeFunctionUrlEvent({
    method: request.method ?? "GET",
    target: request.url ?? "/",
    headers,
    ...(body.length > 0 ? { body: isText ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0 && !isText,
    sourceIp,
    protocol: `HTTP/${request.httpVersion}`,
  });
}

/** What an event is made of, as the Function URL has read it off the connection. */
export interface FunctionUrlRequest {
  method: string;
  /** The path and query as sent. */
  target: string;
  /** Repeated ones joined by commas; a Cookie header becomes the event's `cookies`. Names are kept as given (a Function URL's, like Node's, are lower-case). */
  headers: Record<string, string>;
  /** Text, or base64 when `isBase64Encoded`. */
  body?: string;
  isBase64Encoded: boolean;
  sourceIp: string;
  protocol: string;
}

/** The payload 2.0 event of a request: the gateway's, and the one tests invoke a handler with. */
export function makeFunctionUrlEvent(request: FunctionUrlRequest): APIGatewayProxyEventV2 {
  const mark = request.target.indexOf("?");
  const rawPath = mark < 0 ? request.target : request.target.slice(0, mark);
  const rawQueryString = mark < 0 ? "" : request.target.slice(mark + 1);
  const { cookie, ...headers } = request.headers;
  const cookies = cookie?.split(/;\s*/).filter(Boolean);
  const host = headers["host"] ?? "localhost";
  const now = new Date();
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(rawQueryString ? { queryStringParameters: queryParameters(rawQueryString) } : {}),
    requestContext: {
      accountId: "anonymous",
      apiId: "local",
      domainName: host,
      domainPrefix: host.split(".")[0] ?? host,
      http: { method: request.method, path: rawPath, protocol: request.protocol, sourceIp: request.sourceIp, userAgent: headers["user-agent"] ?? "" },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
    isBase64Encoded: request.isBase64Encoded,
  };
}

/** Repeated parameters joined by commas, as Function URLs do. */
function queryParameters(raw: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(raw)) parameters[name] = name in parameters ? `${parameters[name]},${value}` : value;
  return parameters;
}

/** `21/Nov/2025:08:49:00 +0000`, the format of requestContext.time. */
function clfTime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}
