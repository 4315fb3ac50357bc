/**
 * A server on 127.0.0.1 for what the real service (RecordedApi) does not answer in a test: failures
 * of the transport (a body that is not JSON, a slow answer, a closed port), retry sequences, failed
 * downloads, and batch jobs' states (which need the state machine). Each test says what it
 * answers; every request is recorded.
 */
import { listenOnLoopback, type Loopback } from "./loopback.js";
import { lastOf, type Received } from "./received.js";

export interface Reply {
  status?: number;
  body?: unknown;
  /** Sent as it is instead of `body` (e.g. an HTML error page). */
  raw?: string;
  headers?: Record<string, string>;
  /** Answer this late, to test timeouts. */
  delayMs?: number;
}

export class CannedServer {
  readonly received: Received[] = [];
  #loopback: Loopback | undefined;
  #reply: (request: Received) => Reply = () => ({ status: 404, raw: "" });

  static async start(): Promise<CannedServer> {
    const canned = new CannedServer();
    canned.#loopback = await listenOnLoopback((received, response) => {
      canned.received.push(received);
      const reply = canned.#reply(received);
      const send = () => {
        response.writeHead(reply.status ?? 200, { "content-type": reply.raw === undefined ? "application/json" : "text/plain", ...reply.headers });
        response.end(reply.raw ?? JSON.stringify(reply.body ?? {}));
      };
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
    return canned;
  }

  /** An address nothing listens on (a server started and closed). */
  static async closedUrl(): Promise<string> {
    const closed = await CannedServer.start();
    const url = closed.url;
    await closed.close();
    return url;
  }

  get url(): string {
    return this.#loopback!.url;
  }

  /** What every request is answered with, until the next call. */
  answer(reply: (request: Received) => Reply): void {
    this.#reply = reply;
  }

  /** The last request received on a path (optionally with this method). */
  last(path: string, method?: string): Received {
    return lastOf(this.received, path, method);
  }

  reset(): void {
    this.received.length = 0;
    this.#reply = () => ({ status: 404, raw: "" });
  }

  close(): Promise<void> {
    return this.#loopback!.close();
  }
}
