/** A node:http server on an ephemeral port of 127.0.0.1, each request read whole before `answer` sees it. */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readRequest, type Received } from "./received.js";

export interface Loopback {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(answer: (received: Received, response: ServerResponse) => void): Promise<Loopback> {
  const server = createServer((request, response) => {
    void readRequest(request).then((received) => answer(received, response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
