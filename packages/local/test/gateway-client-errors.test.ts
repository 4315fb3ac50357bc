/**
 * What node:http refuses before the function is invoked — headers over its limit, bytes that are
 * not HTTP — is answered over real HTTP with a complete JSON response in the API's envelope, not
 * a reset connection; the gateway goes on serving.
 */
import { maxHeaderSize } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGateway, type Gateway } from "../src/index.js";

let gateway: Gateway;
let invoked = 0;

beforeAll(async () => {
  gateway = await startGateway({ port: 0, handler: async () => (invoked++, { statusCode: 200, body: "{}" }) });
});
afterAll(() => gateway.close());

/** Everything the server sends on one connection given `request`, until it closes it. */
function exchange(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(gateway.port, "127.0.0.1", () => socket.end(request));
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
  });
}

describe("requests node:http refuses", () => {
  it("a 100 KB Authorization header: 431 request_headers_too_large with the limit, as JSON in the envelope", async () => {
    const before = invoked;
    const response = await fetch(`${gateway.url}/workflows/run`, { method: "POST", headers: { authorization: `Bearer ${"k".repeat(100 * 1024)}` }, body: "{}" });
    expect(response.status).toBe(431);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const message = `The request's headers are over the ${maxHeaderSize}-byte limit`;
    // The envelope, and beside it what Roboflow's clients read; no cause, so no inner_error_message.
    expect(await response.json()).toEqual({
      error: { code: "request_headers_too_large", message, status: 431, details: { limit_bytes: maxHeaderSize } },
      message,
      error_type: "request_headers_too_large",
    });
    expect(invoked).toBe(before);
    expect((await fetch(gateway.url)).status).toBe(200);
    expect(invoked).toBe(before + 1);
  });

  it("bytes that are not HTTP: 400 bad_request, a complete response before the close", async () => {
    const text = await exchange("HELLO THERE\r\n\r\n");
    const [head, body] = text.split("\r\n\r\n");
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toContain(`content-length: ${Buffer.byteLength(body!)}`);
    const message = "The request is not valid HTTP/1.1";
    expect(JSON.parse(body!)).toEqual({ error: { code: "bad_request", message, status: 400, details: {} }, message, error_type: "bad_request" });
  });
});
