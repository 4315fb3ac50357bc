/**
 * Requests node:http refuses before any handler sees them — headers over its size limit, a
 * request that is not HTTP, one that took too long to arrive — answered as the API answers
 * errors: a complete JSON response with the API's error body. Node's own answer to these is a bare status
 * line and an immediate close, which, with the client's bytes still unread, reaches the client
 * as a connection reset instead of a response.
 */
import { STATUS_CODES, type Server } from "node:http";
import type { Duplex } from "node:stream";
import { errorBody } from "@cvflow/service";
import { badRequest, requestHeadersTooLarge, requestTimeout } from "./errors.js";

/** How long a refused connection may keep sending what is left of its request. */
const DRAIN_TIMEOUT_MS = 10_000;

export function answerClientErrors(server: Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === "ECONNRESET" || !socket.writable) return socket.destroy();
    const { status, code, message, details } = error.code === "HPE_HEADER_OVERFLOW" ? requestHeadersTooLarge() : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? requestTimeout() : badRequest();
    const body = JSON.stringify(errorBody(code, message, status, details));
    const head = [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, "content-type: application/json; charset=utf-8", `content-length: ${Buffer.byteLength(body)}`, "connection: close"];
    // Read and drop the rest of the request, so that closing does not reset the connection
    // before the client has read this answer; a client that keeps sending is cut off.
    socket.on("error", () => socket.destroy());
    socket.resume();
    socket.end(`${head.join("\r\n")}\r\n\r\n${body}`);
    setTimeout(() => socket.destroy(), DRAIN_TIMEOUT_MS).unref();
  });
}
