/**
 * The page's files are bytes: the Lambda handler returns them base64 with `isBase64Encoded` in
 * BUFFERED mode and writes them as they are in RESPONSE_STREAM mode, and the local gateway sends
 * either as the very bytes — over real HTTP on loopback, from a build read by @cvflow/ui/site.
 * Without a build, `/` is a 503 over HTTP too.
 */
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { get, type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { Logger } from "@aws-lambda-powertools/logger";
import { installLambdaStreamingRuntime, lambdaContext, makeFunctionUrlEvent, startGateway, type Gateway, type LambdaHttpHandler } from "@cvflow/local";
import { createTestService } from "@cvflow/service/testing";
import { staticSite } from "@cvflow/ui/site";
import type { APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { lambdaHandler } from "../http/lambda-handler.js";
import { INVOKE_MODES } from "../http/types.js";

const logger = new Logger({ serviceName: "cvflow-api-test", logLevel: "SILENT" });
/** Every byte value, and a script worth compressing. */
const IMAGE = Uint8Array.from({ length: 512 }, (_, i) => (i * 7) % 256);
const SCRIPT = `export const n = [${Array.from({ length: 500 }, (_, i) => i).join(",")}];\n`;
const INDEX = '<!doctype html><script type="module" src="/ui/assets/index-c3d4.js"></script><div id="app"></div>';

let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function builtSite(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "cvflow-page-"));
  await mkdir(join(dir, "assets"));
  await writeFile(join(dir, "index.html"), INDEX);
  await writeFile(join(dir, "assets", "index-c3d4.js"), SCRIPT);
  await writeFile(join(dir, "assets", "logo-e5f6.png"), IMAGE);
  return dir;
}

async function handlerFor(mode: (typeof INVOKE_MODES)[number], dir: string) {
  const { service } = await createTestService({ ui: staticSite(dir), ...(mode === "BUFFERED" ? { streamingUnavailable: "buffered" } : {}) });
  if (mode === "RESPONSE_STREAM") installLambdaStreamingRuntime();
  return lambdaHandler(service, logger, mode) as unknown as LambdaHttpHandler;
}

/** The response's bytes as they came over the wire (fetch would decompress them). */
function raw(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    }).on("error", reject);
  });
}

describe("the Lambda handler in BUFFERED mode", () => {
  it("returns a file's bytes base64 with isBase64Encoded, JSON as text", async () => {
    const handler = await handlerFor("BUFFERED", await builtSite());
    const invoke = async (target: string) =>
      (await handler(
        makeFunctionUrlEvent({ method: "GET", target, headers: { host: "api.test" }, isBase64Encoded: false, sourceIp: "127.0.0.1", protocol: "HTTP/1.1" }),
        lambdaContext("cvflow-api-test", 30_000, randomUUID()),
      )) as APIGatewayProxyStructuredResultV2;
    const image = await invoke("/ui/assets/logo-e5f6.png");
    expect(image).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { "content-type": "image/png" } });
    expect([...Buffer.from(image.body!, "base64")]).toEqual([...IMAGE]);
    const health = await invoke("/health");
    expect(health.isBase64Encoded).toBeUndefined();
    expect(JSON.parse(health.body!)).toMatchObject({ status: "ok" });
  });
});

describe.each(INVOKE_MODES)("the local gateway in front of the handler in %s mode", (mode) => {
  it("sends a file's very bytes, compressed as accepted; 304 without a body", async () => {
    gateway = await startGateway({ port: 0, handler: await handlerFor(mode, await builtSite()) });
    const image = await raw(`${gateway.url}/ui/assets/logo-e5f6.png`, { "accept-encoding": "br, gzip" });
    expect([image.status, image.headers["content-type"], image.headers["content-encoding"]]).toEqual([200, "image/png", undefined]);
    expect([...image.body]).toEqual([...IMAGE]);
    const script = await raw(`${gateway.url}/ui/assets/index-c3d4.js`, { "accept-encoding": "br" });
    expect(script.headers).toMatchObject({ "content-encoding": "br", "cache-control": "public, max-age=31536000, immutable" });
    expect(brotliDecompressSync(script.body).toString("utf8")).toBe(SCRIPT);
    const again = await raw(`${gateway.url}/ui/assets/index-c3d4.js`, { "accept-encoding": "br", "if-none-match": script.headers.etag! });
    expect([again.status, again.body.length, again.headers.etag]).toEqual([304, 0, script.headers.etag]);
    const page = await fetch(`${gateway.url}/`, { headers: { accept: "text/html" } });
    expect([page.status, page.headers.get("content-type"), await page.text()]).toEqual([200, "text/html; charset=utf-8", INDEX]);
  });

  it("answers HEAD with GET's headers and no body", async () => {
    gateway = await startGateway({ port: 0, handler: await handlerFor(mode, await builtSite()) });
    const head = await fetch(`${gateway.url}/ui/assets/index-c3d4.js`, { method: "HEAD", headers: { "accept-encoding": "identity" } });
    expect([head.status, head.headers.get("content-type"), await head.text()]).toEqual([200, "text/javascript; charset=utf-8", ""]);
    if (mode === "BUFFERED") expect(head.headers.get("content-length")).toBe(String(SCRIPT.length));
  });

  it("answers 503 ui_not_built while the build is missing", async () => {
    gateway = await startGateway({ port: 0, handler: await handlerFor(mode, await mkdtemp(join(tmpdir(), "cvflow-page-unbuilt-"))) });
    const response = await fetch(`${gateway.url}/`, { headers: { accept: "text/html" } });
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("ui_not_built");
    expect(body.error.message).toContain("npm run build:ui");
    expect(body.error.message).not.toMatch(/\/(tmp|work|home|var)\//);
  });
});
