/**
 * URL fetching without SSRF. No test sends traffic off this machine: servers listen on 127.0.0.1
 * only, names that must not resolve use the reserved .invalid domain with an injected resolver,
 * and a tripwire on outgoing connections throws for anything but loopback.
 */
import type { LookupAddress } from "node:dns";
import type { IncomingMessage, ServerResponse } from "node:http";
import sharp from "sharp";
import { WorkflowError } from "@cvflow/engine";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { classifyAddress } from "../src/images/address-class.js";
import { allowedAddresses, fetchUrl, sendUrl } from "../src/images/fetch-url.js";
import { loadImage } from "../src/images/load-image.js";
import { parseUrlAllowList } from "../src/images/url-allow-list.js";
import { expectWorkflowError, startLoopbackServer, watchConnections, type TestServer } from "./image-fixtures.js";

let guard: ReturnType<typeof watchConnections>;
let png: Buffer;
const servers: TestServer[] = [];

beforeAll(async () => {
  guard = watchConnections();
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#2060a0" } }).png().toBuffer();
});
afterAll(() => guard.restore());
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  guard.attempts.length = 0;
});

async function server(handle: Parameters<typeof startLoopbackServer>[0]): Promise<TestServer> {
  const started = await startLoopbackServer(handle);
  servers.push(started);
  return started;
}

const servePng = (_: unknown, response: import("node:http").ServerResponse): void => {
  response.writeHead(200, { "content-type": "image/png", "content-length": png.length }).end(png);
};

/** A resolver for .invalid names that must never reach DNS. */
function fakeDns(table: Record<string, string[]>): { lookup: (host: string) => Promise<LookupAddress[]>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    lookup: async (host) => {
      calls.push(host);
      const addresses = table[host];
      if (!addresses) throw new Error(`no test address for ${host}`);
      return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
    },
  };
}

describe("address classes", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "private"],
    ["fd00:ec2::254", "private"],
    ["::ffff:10.0.0.1", "private"],
    ["64:ff9b::a00:1", "private"],
    ["169.254.169.254", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["::ffff:169.254.169.254", "link-local"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "reserved"],
    ["8.8.8.8", undefined],
    ["172.15.0.1", undefined],
    ["172.32.0.1", undefined],
    ["2606:4700::1111", undefined],
    ["::ffff:8.8.8.8", undefined],
  ])("%s -> %s", (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe("refused before connecting", () => {
  it.each([
    ["http://127.0.0.1:{port}/a.png", "loopback"],
    ["http://[::1]:{port}/a.png", "loopback"],
    ["http://[::ffff:127.0.0.1]:{port}/a.png", "loopback"],
    ["http://0x7f.1:{port}/a.png", "loopback"],
    ["http://localhost:{port}/a.png", "loopback"],
    ["http://169.254.169.254/latest/meta-data/", "link-local"],
    ["http://10.0.0.1/a.png", "private"],
    ["http://0.0.0.0:{port}/a.png", "unspecified"],
    ["file:///etc/passwd", "scheme"],
    ["gopher://127.0.0.1:{port}/_GET%20/", "scheme"],
  ])("%s (%s)", async (template, reason) => {
    const target = await server(servePng);
    const url = template.replace("{port}", String(target.port));
    const error = await expectWorkflowError(fetchUrl(url), "url_not_allowed", 400);
    expect(error.details["reason"]).toBe(reason);
    expect(guard.attempts).toEqual([]);
    expect(target.requests).toEqual([]);
  });

  it("a name is refused when any of its addresses is not public", async () => {
    const dns = fakeDns({ "mixed.invalid": ["93.184.216.34", "10.1.2.3"] });
    const error = await expectWorkflowError(fetchUrl("https://mixed.invalid/cat.jpg", { lookup: dns.lookup }), "url_not_allowed", 400);
    expect(error.details).toMatchObject({ reason: "private", host: "mixed.invalid", address: "10.1.2.3" });
    expect(error.message).toMatch(/resolves to 10\.1\.2\.3, which is a private address/);
    expect(guard.attempts).toEqual([]);
  });

  it("a host outside allowedHosts is refused without even a DNS lookup", async () => {
    const dns = fakeDns({});
    const error = await expectWorkflowError(
      fetchUrl("https://elsewhere.invalid/cat.jpg", { allowedHosts: ["images.example.org", "*.cdn.invalid"], lookup: dns.lookup }),
      "url_not_allowed",
      400,
    );
    expect(error.details).toMatchObject({ reason: "host_not_allowed", host: "elsewhere.invalid" });
    expect(dns.calls).toEqual([]);
  });

  it("an allowed host still has its addresses checked", async () => {
    const dns = fakeDns({ "eu.cdn.invalid": ["192.168.0.10"] });
    const error = await expectWorkflowError(fetchUrl("https://eu.cdn.invalid/cat.jpg", { allowedHosts: ["*.cdn.invalid"], lookup: dns.lookup }), "url_not_allowed", 400);
    expect(error.details["reason"]).toBe("private");
    expect(dns.calls).toEqual(["eu.cdn.invalid"]);
  });

  it("a malformed URL is an invalid input", async () => {
    await expectWorkflowError(fetchUrl("http://exa mple.invalid/a.png"), "invalid_image_input", 400);
    await expectWorkflowError(loadImage({ type: "url", value: "images/a.png" }, "/inputs/image"), "invalid_image_input", 400);
  });

  it("errors do not repeat the query string (a presigned URL's signature)", async () => {
    const error = await expectWorkflowError(fetchUrl("http://10.0.0.1/a.png?X-Amz-Signature=s3cr3t"), "url_not_allowed", 400);
    expect(JSON.stringify(error.toJSON())).not.toContain("s3cr3t");
  });
});

/** A policy's exemption of every URL of one origin (the service exempts single presigned URLs). */
const sameOrigin = (origin: string) => (url: URL) => url.origin === origin;

describe("fetching from an exempted loopback origin", () => {
  it("exempts only the URLs the policy's predicate passes: another path on that origin is refused as loopback, unasked", async () => {
    const origin = await server(servePng);
    const allowPrivate = (url: URL) => url.origin === origin.origin && url.pathname === "/issued.png";
    expect((await fetchUrl(`${origin.origin}/issued.png`, { allowPrivate })).equals(png)).toBe(true);
    const error = await expectWorkflowError(fetchUrl(`${origin.origin}/keys/abc.json`, { allowPrivate }), "url_not_allowed", 400);
    expect(error.details).toMatchObject({ reason: "loopback" });
    expect(origin.requests).toEqual(["/issued.png"]);
  });

  it("returns the bytes of a real PNG, which loads as an image", async () => {
    const origin = await server(servePng);
    const url = `${origin.origin}/astronaut.png?X-Amz-Signature=abc`;
    const bytes = await fetchUrl(url, { allowPrivate: sameOrigin(origin.origin) });
    expect(bytes.equals(png)).toBe(true);
    expect(origin.requests).toEqual(["/astronaut.png?X-Amz-Signature=abc"]);

    const image = await loadImage({ type: "url", value: url }, "/inputs/image", { url: { allowPrivate: sameOrigin(origin.origin) } });
    expect([image.width, image.height, image.channels, image.lineage.parentId]).toEqual([40, 30, 3, "image"]);
  });

  it("connects to the checked address without resolving the name again", async () => {
    const origin = await server(servePng);
    const dns = fakeDns({ "pinned.invalid": ["127.0.0.1"] });
    const url = `http://pinned.invalid:${origin.port}/a.png`;
    const bytes = await fetchUrl(url, { allowPrivate: sameOrigin(`http://pinned.invalid:${origin.port}`), lookup: dns.lookup });
    expect(bytes.equals(png)).toBe(true);
    expect(dns.calls).toEqual(["pinned.invalid"]); // once; the system resolver cannot resolve .invalid at all
    expect(origin.hosts).toEqual([`pinned.invalid:${origin.port}`]);
    expect(guard.attempts).toEqual(["pinned.invalid"]);
  });

  it("refuses a redirect to another loopback origin that is not exempted; that server is never asked", async () => {
    const b = await server(servePng);
    const a = await server((_, response) => response.writeHead(302, { location: `${b.origin}/secret.png` }).end());
    const error = await expectWorkflowError(fetchUrl(`${a.origin}/start.png`, { allowPrivate: sameOrigin(a.origin) }), "url_not_allowed", 400);
    expect(error.details).toMatchObject({ reason: "loopback", url: `${b.origin}/secret.png` });
    expect(a.requests).toEqual(["/start.png"]);
    expect(b.requests).toEqual([]);
  });

  it("follows redirects within allowed origins", async () => {
    const a = await server((request, response) => {
      if (request.url === "/final.png") servePng(request, response);
      else response.writeHead(301, { location: request.url === "/one" ? "/two" : "/final.png" }).end();
    });
    const bytes = await fetchUrl(`${a.origin}/one`, { allowPrivate: sameOrigin(a.origin) });
    expect(bytes.equals(png)).toBe(true);
    expect(a.requests).toEqual(["/one", "/two", "/final.png"]);
  });

  it("stops after 5 redirects", async () => {
    const a = await server((request, response) => response.writeHead(307, { location: `${request.url}x` }).end());
    const error = await expectWorkflowError(fetchUrl(`${a.origin}/r`, { allowPrivate: sameOrigin(a.origin) }), "url_fetch_failed", 400);
    expect(error.message).toMatch(/more than 5 redirects/);
    expect(a.requests).toHaveLength(6);
  });

  it("reports the status of a failed answer", async () => {
    const a = await server((_, response) => response.writeHead(404).end("no such image"));
    const error = await expectWorkflowError(fetchUrl(`${a.origin}/missing.png`, { allowPrivate: sameOrigin(a.origin) }), "url_fetch_failed", 400);
    expect(error.details["status"]).toBe(404);
  });

  it("reports a refused connection", async () => {
    const closed = await startLoopbackServer(servePng);
    await closed.close();
    const error = await expectWorkflowError(fetchUrl(`${closed.origin}/a.png`, { allowPrivate: sameOrigin(closed.origin) }), "url_fetch_failed", 400);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it("refuses a body over the limit from its Content-Length", async () => {
    const a = await server((_, response) => response.writeHead(200, { "content-length": 5000 }).end(Buffer.alloc(5000)));
    const error = await expectWorkflowError(fetchUrl(`${a.origin}/big.png`, { allowPrivate: sameOrigin(a.origin), maxBytes: 1000 }), "image_too_large", 413);
    expect(error.details).toMatchObject({ bytes: 5000, max_bytes: 1000 });
  });

  it("cuts off a streamed body as soon as it passes the limit", async () => {
    let written = 0;
    const a = await server((_, response) => {
      response.writeHead(200); // chunked, no length announced
      const timer = setInterval(() => {
        written += 1000;
        if (!response.write(Buffer.alloc(1000)) || written > 1_000_000) clearInterval(timer);
      }, 1);
      response.on("close", () => clearInterval(timer));
    });
    await expectWorkflowError(fetchUrl(`${a.origin}/endless.png`, { allowPrivate: sameOrigin(a.origin), maxBytes: 10_000 }), "image_too_large", 413);
    expect(written).toBeLessThan(1_000_000);
  });

  it("times out a server that does not answer (url_timeout, 504)", async () => {
    // The server holds every request open; the fetch must give up and close its connection.
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const a = await server((request) => request.socket.once("close", () => closed()));
    const error = await expectWorkflowError(fetchUrl(`${a.origin}/slow.png`, { allowPrivate: sameOrigin(a.origin), timeoutMs: 200 }), "url_timeout", 504);
    expect(error.details["timeout_ms"]).toBe(200);
    await connectionClosed;
  });

  it("times out a body that trickles in too slowly", async () => {
    const a = await server((_, response) => {
      response.writeHead(200, { "content-length": 1000 });
      response.write(Buffer.alloc(10));
    });
    await expectWorkflowError(fetchUrl(`${a.origin}/trickle.png`, { allowPrivate: sameOrigin(a.origin), timeoutMs: 200 }), "url_timeout", 504);
  });

  it("stops when the run's signal fires, passing on a WorkflowError reason as it is", async () => {
    const a = await server(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const cancelled = await expectWorkflowError(fetchUrl(`${a.origin}/slow.png`, { allowPrivate: sameOrigin(a.origin), signal: controller.signal }), "url_timeout", 504);
    expect(cancelled.message).toMatch(/cancelled or reached its deadline/);

    const deadline = new WorkflowError("deadline_exceeded", "The run did not finish within its deadline", 504);
    await expect(fetchUrl(`${a.origin}/slow.png`, { allowPrivate: sameOrigin(a.origin), signal: AbortSignal.abort(deadline) })).rejects.toBe(deadline);
  });
});

describe("a deployment's allow-list (CVFLOW_URL_ALLOW_HOSTS)", () => {
  it("serves a listed loopback host:port, refuses the same server by another name or port, and other private hosts still", async () => {
    const target = await server(servePng);
    const other = await server(servePng);
    const allowList = parseUrlAllowList(`127.0.0.1:${target.port}, images.invalid`)!;
    expect((await fetchUrl(`${target.origin}/a.png`, { allowList })).equals(png)).toBe(true);
    expect(target.requests).toEqual(["/a.png"]);
    // Refused without it, as before.
    expect((await expectWorkflowError(fetchUrl(`${target.origin}/a.png`), "url_not_allowed", 400)).details["reason"]).toBe("loopback");
    expect((await expectWorkflowError(fetchUrl(`${other.origin}/a.png`, { allowList }), "url_not_allowed", 400)).details["reason"]).toBe("loopback");
    const dns = fakeDns({ "localhost.invalid": ["127.0.0.1"], "metadata.invalid": ["169.254.169.254"] });
    const byName = await expectWorkflowError(fetchUrl(`http://localhost.invalid:${target.port}/a.png`, { allowList, lookup: dns.lookup }), "url_not_allowed", 400);
    expect(byName.details["reason"]).toBe("loopback");
    for (const url of ["http://10.0.0.1/a.png", "http://169.254.169.254/latest/meta-data/", "http://metadata.invalid/a.png"]) {
      await expectWorkflowError(fetchUrl(url, { allowList, lookup: dns.lookup }), "url_not_allowed", 400);
    }
    expect(other.requests).toEqual([]);
    expect(guard.attempts).toEqual(["127.0.0.1"]); // the one allowed fetch; nothing else was even connected to
  });

  it("lets names resolving into a listed range through, other addresses of the same name still checked", async () => {
    const target = await server(servePng);
    const dns = fakeDns({ "store.invalid": ["127.0.0.1"], "mixed.invalid": ["127.0.0.1", "10.9.9.9"] });
    const allowList = parseUrlAllowList("127.0.0.0/8")!;
    expect((await fetchUrl(`http://store.invalid:${target.port}/s.png`, { allowList, lookup: dns.lookup })).equals(png)).toBe(true);
    const mixed = await expectWorkflowError(fetchUrl(`http://mixed.invalid:${target.port}/s.png`, { allowList, lookup: dns.lookup }), "url_not_allowed", 400);
    expect(mixed.details).toMatchObject({ reason: "private", address: "10.9.9.9" });
  });

  it("judges each redirect hop: a listed server cannot send the fetch to an unlisted private one", async () => {
    const inner = await server(servePng);
    const listed = await server((_, response) => response.writeHead(302, { location: `${inner.origin}/secret.png` }).end());
    const allowList = parseUrlAllowList(`127.0.0.1:${listed.port}`)!;
    const error = await expectWorkflowError(fetchUrl(`${listed.origin}/go`, { allowList }), "url_not_allowed", 400);
    expect(error.details["reason"]).toBe("loopback");
    expect(inner.requests).toEqual([]);
  });
});

describe("sendUrl: a request other than an image's GET (sinks, model APIs)", () => {
  const echo = (request: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const sent = { method: request.method, type: request.headers["content-type"], auth: request.headers["authorization"], body: Buffer.concat(chunks).toString() };
      response.writeHead(request.url === "/limited" ? 429 : 200, { "content-type": "application/json", "retry-after": "3" }).end(JSON.stringify(sent));
    });
  };

  it("sends the method, headers and body, and answers any status with its headers and body", async () => {
    const target = await server(echo);
    const allowList = parseUrlAllowList(`127.0.0.1:${target.port}`)!;
    const headers = { "content-type": "application/json", authorization: "Bearer k" };
    const ok = await sendUrl(`${target.origin}/v1/chat`, { method: "POST", headers, body: '{"a":1}' }, { allowList });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body.toString())).toEqual({ method: "POST", type: "application/json", auth: "Bearer k", body: '{"a":1}' });
    const limited = await sendUrl(`${target.origin}/limited`, { method: "PUT", body: new Uint8Array([104, 105]) }, { allowList });
    expect([limited.status, limited.headers["retry-after"], JSON.parse(limited.body.toString()).body]).toEqual([429, "3", "hi"]);
  });

  it("is refused before connecting where an image URL would be, and redirects are answered, not followed", async () => {
    const inner = await server(echo);
    const listed = await server((_, response) => response.writeHead(307, { location: `${inner.origin}/x` }).end());
    await expectWorkflowError(sendUrl(`${inner.origin}/x`, { method: "POST", body: "{}" }), "url_not_allowed", 400);
    const allowList = parseUrlAllowList(`127.0.0.1:${listed.port}`)!;
    expect((await sendUrl(`${listed.origin}/go`, { method: "POST", body: "{}" }, { allowList })).status).toBe(307);
    expect(inner.requests).toEqual([]);
    await expectWorkflowError(allowedAddresses("127.0.0.1", 465), "url_not_allowed", 400);
    expect(await allowedAddresses("127.0.0.1", 465, { allowList: parseUrlAllowList("127.0.0.1")! })).toEqual([{ address: "127.0.0.1", family: 4 }]);
    const portOnly = parseUrlAllowList("127.0.0.1:2525")!;
    expect(await allowedAddresses("127.0.0.1", 2525, { allowList: portOnly })).toEqual([{ address: "127.0.0.1", family: 4 }]);
    await expectWorkflowError(allowedAddresses("127.0.0.1", 465, { allowList: portOnly }), "url_not_allowed", 400);
  });

  it("stops at its timeout, or with the run's reason when the run's signal fires, and caps the answer", async () => {
    const silent = await server(() => undefined);
    const allowList = parseUrlAllowList(`127.0.0.1:${silent.port}`)!;
    const timedOut = await expectWorkflowError(sendUrl(`${silent.origin}/slow`, { method: "POST" }, { allowList, timeoutMs: 200 }), "url_timeout", 504);
    expect(timedOut.details["timeout_ms"]).toBe(200);
    const run = new AbortController();
    const cancelled = new WorkflowError("cancelled", "the run was cancelled", 499);
    setTimeout(() => run.abort(cancelled), 50);
    await expect(sendUrl(`${silent.origin}/slow`, { method: "POST", signal: run.signal }, { allowList, timeoutMs: 60_000 })).rejects.toBe(cancelled);
    const big = await server((_, response) => response.end(Buffer.alloc(5000)));
    const bigAllowed = parseUrlAllowList(`127.0.0.1:${big.port}`)!;
    await expectWorkflowError(sendUrl(`${big.origin}/`, { method: "GET", maxBytes: 1000 }, { allowList: bigAllowed }), "url_fetch_failed", 400);
    expect((await sendUrl(`${big.origin}/`, { method: "GET", maxBytes: 1000, discardBody: true }, { allowList: bigAllowed })).body.length).toBe(0);
  });
});
