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
  const target = request.url ?? "/";
  const mark = target.indexOf("?");
  const rawPath = mark < 0 ? target : target.slice(0, mark);
  const rawQueryString = mark < 0 ? "" : target.slice(mark + 1);
  const sourceIp = request.socket.remoteAddress ?? "127.0.0.1";
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const joined = Array.isArray(value) ? value.join(",") : value;
    if (name === "cookie") cookies = joined.split(/;\s*/).filter(Boolean);
    else headers[name] = joined;
  }
  headers["x-forwarded-for"] = sourceIp;
  headers["x-forwarded-proto"] = "http";
  headers["x-forwarded-port"] = String(request.socket.localPort ?? "");
  headers["x-amzn-trace-id"] = `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomUUID().replace(/-/g, "").slice(0, 24)}`;
  const host = headers["host"] ?? "localhost";
  const now = new Date();
  const isText = TEXT_CONTENT.test(headers["content-type"] ?? "");
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
      http: { method: request.method ?? "GET", path: rawPath, protocol: `HTTP/${request.httpVersion}`, sourceIp, userAgent: headers["user-agent"] ?? "" },
      requestId: randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: clfTime(now),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 ? { body: isText ? body.toString("utf8") : body.toString("base64") } : {}),
    isBase64Encoded: body.length > 0 && !isText,
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
