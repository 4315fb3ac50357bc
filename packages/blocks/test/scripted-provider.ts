/**
 * A provider's API on loopback for the foundation-model block tests: every request is recorded
 * (method, path, headers, body parsed as JSON) and answered with the next of the replies the test
 * queued — a status with a JSON, text or raw (`body`: an image) body and headers, or `"hang"` (never answered, for
 * timeouts and aborts). A request with nothing queued is answered 599 so a test sees it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
  json: any;
}

export type Reply = { status?: number; json?: unknown; text?: string; body?: Uint8Array; headers?: Record<string, string> } | "hang";

export interface ScriptedProvider {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: Recorded[];
  /** Queues answers, taken in order by the next requests. */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

export async function scriptedProvider(): Promise<ScriptedProvider> {
  const requests: Recorded[] = [];
  const queue: Reply[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request, response) => {
    void read(request).then((body) => {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]));
      requests.push({ method: request.method ?? "GET", path: new URL(request.url ?? "/", "http://x").pathname, headers, body, json: parse(body) });
      const next = queue.shift() ?? { status: 599, text: "nothing queued" };
      if (next === "hang") {
        hanging.push(response);
        return;
      }
      if (next.body !== undefined) {
        response.writeHead(next.status ?? 200, { "content-type": "application/octet-stream", ...next.headers });
        response.end(next.body);
        return;
      }
      const text = next.text ?? JSON.stringify(next.json ?? {});
      response.writeHead(next.status ?? 200, { "content-type": next.text === undefined ? "application/json" : "text/plain", ...next.headers });
      response.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    reply: (...replies) => void queue.push(...replies),
    close: () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function read(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("error", reject);
    request.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

function parse(body: Buffer): any {
  try {
    return body.length ? JSON.parse(body.toString("utf8")) : undefined;
  } catch {
    return undefined;
  }
}
