/** A request as a test server received it, for tests to assert what a client sent. */
import type { IncomingMessage } from "node:http";

export interface Received {
  method: string;
  /** Path without the query string, still percent-encoded. */
  path: string;
  query: URLSearchParams;
  /** Lower-case names; a repeated header's values joined by commas. */
  headers: Record<string, string>;
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json: any;
  /** What was answered, once it was (RecordedApi): the status and the body parsed as JSON. */
  answer?: { status: number; json: any };
}

export function received(method: string, url: URL, headers: Record<string, string>, body: Buffer): Received {
  return { method, path: url.pathname, query: url.searchParams, headers, body, json: parseJson(body) };
}

/** A node:http request, read to its end. */
export function readRequest(request: IncomingMessage): Promise<Received> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("error", reject);
    request.on("end", () => {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(",") : (value ?? "")]));
      resolve(received(request.method ?? "GET", new URL(request.url ?? "/", "http://loopback"), headers, Buffer.concat(chunks)));
    });
  });
}

/** The last of `requests` on a path (optionally with this method). */
export function lastOf(requests: readonly Received[], path: string, method?: string): Received {
  const found = requests.findLast((r) => r.path === path && (!method || r.method === method));
  if (!found) throw new Error(`no ${method ?? "request"} to ${path}; received: ${requests.map((r) => `${r.method} ${r.path}`).join(", ")}`);
  return found;
}

/** undefined when the bytes are empty or not JSON. */
export function parseJson(bytes: Uint8Array): any {
  try {
    return bytes.length > 0 ? JSON.parse(Buffer.from(bytes).toString("utf8")) : undefined;
  } catch {
    return undefined;
  }
}
