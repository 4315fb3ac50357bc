/**
 * An HTTP server on an ephemeral loopback port for the HTTP sinks' tests: it records every request
 * whole (method, path with its query, headers, body) and answers with what the test's `answer`
 * returns for it — a status with a JSON or text body, or "hang" (never answered: timeouts, aborts).
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

export type Answer = { status?: number; json?: unknown; text?: string; headers?: Record<string, string> } | "hang";

export interface RecordingServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Called when a request has arrived whole, before it is answered. */
  onRequest?: (request: RecordedRequest) => void;
  close(): Promise<void>;
}

export async function recordingServer(answer: (request: RecordedRequest) => Answer): Promise<RecordingServer> {
  const hanging: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]));
      const recorded: RecordedRequest = { method: request.method ?? "", url: request.url ?? "", headers, body: Buffer.concat(chunks) };
      recording.requests.push(recorded);
      recording.onRequest?.(recorded);
      const reply = answer(recorded);
      if (reply === "hang") {
        hanging.push(response);
        return;
      }
      const body = reply.text ?? JSON.stringify(reply.json ?? {});
      response.writeHead(reply.status ?? 200, { "content-type": reply.text === undefined ? "application/json" : "text/plain", ...reply.headers });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const recording: RecordingServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: [],
    close: () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return recording;
}

/** The multipart or urlencoded body of a recorded request, parsed by the platform's own parser. */
export function formOf(request: RecordedRequest): Promise<FormData> {
  return new Request("http://parse.invalid", { method: "POST", headers: { "content-type": request.headers["content-type"] ?? "" }, body: request.body }).formData();
}
