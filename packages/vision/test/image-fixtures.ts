/** Test photos (shared and the repository's), crafted images, loopback servers, and a check for structured errors. */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { isIP, Socket, type AddressInfo, type TcpNetConnectOpts } from "node:net";
import { crc32, deflateSync } from "node:zlib";
import { WorkflowError } from "@cvflow/engine";
import { expect } from "vitest";
import { examplePhoto, sharedPhoto } from "./test-assets.js";

/** A shared photo's bytes (../shared/images: gate the test with `missing()`). */
export function photo(name: string): Buffer {
  return readFileSync(sharedPhoto(name));
}

/** One of the repository's photos' bytes (examples/images). */
export function example(name: string): Buffer {
  return readFileSync(examplePhoto(name));
}

/** A valid PNG header for width x height RGB with a few bytes of pixel data: no pixels are ever allocated. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(Buffer.alloc(16))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** Awaits `promise`, expecting it to fail with a WorkflowError of `code` and `status`; returns the error. */
export async function expectWorkflowError(promise: Promise<unknown>, code: string, status: number): Promise<WorkflowError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowError);
  const known = error as WorkflowError;
  expect({ code: known.code, status: known.status, message: known.message }).toMatchObject({ code, status });
  return known;
}

/** Mean absolute difference of two equally sized pixel buffers. */
export function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

export interface TestServer {
  origin: string;
  port: number;
  /** Paths requested, in order. */
  requests: string[];
  hosts: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (never any other interface), recording what it is asked. */
export async function startLoopbackServer(handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<TestServer> {
  const requests: string[] = [];
  const hosts: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? "");
    hosts.push(request.headers.host ?? "");
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    hosts,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A tripwire for the URL tests: every outgoing TCP connection of this process is recorded, and
 * one to anything but a loopback address throws before it is made — so a regression in the code
 * under test cannot send traffic off this machine.
 */
export function watchConnections(): { attempts: string[]; restore(): void } {
  const attempts: string[] = [];
  const original = Socket.prototype.connect;
  const loopbackOnly = (address: string): void => {
    if (!(address === "::1" || address.startsWith("127."))) throw new Error(`test tried to connect to ${address}`);
  };
  Socket.prototype.connect = function (this: Socket, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
    const options = (typeof first === "object" && first !== null ? first : { port: first, host: args[1] }) as TcpNetConnectOpts;
    const host = options.host ?? "localhost";
    attempts.push(host);
    if (isIP(host)) loopbackOnly(host);
    else if (options.lookup) {
      const lookup = options.lookup;
      options.lookup = (name, lookupOptions, callback) =>
        lookup(name, lookupOptions, (error, address, family) => {
          for (const a of Array.isArray(address) ? address.map((x) => x.address) : [address]) loopbackOnly(a);
          callback(error, address as string, family);
        });
    } else throw new Error(`test tried to connect to "${host}" through the system resolver`);
    return original.apply(this, args as Parameters<typeof original>);
  } as typeof original;
  return { attempts, restore: () => void (Socket.prototype.connect = original) };
}
