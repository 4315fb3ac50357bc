/**
 * The Function-URL gateway: the events it makes, the results it writes back, the Function URL's
 * limits — and the real API handler of functions/api.ts (made by its factory) behind it, over
 * loopback HTTP, on the local S3 server.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createS3Client, S3ApiKeyStore, SCOPES } from "@cvflow/store";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FUNCTION_URL_PAYLOAD_LIMIT, startGateway, startS3Server, type Gateway, type LambdaHttpHandler, type S3Server } from "../src/index.js";

/** Response bodies as tests read them. */
async function json(response: Response): Promise<any> {
  return response.json();
}

async function withGateway(handler: LambdaHttpHandler, test: (gateway: Gateway) => Promise<void>, timeoutMs = 5_000): Promise<void> {
  const gateway = await startGateway({ port: 0, handler, timeoutMs });
  try {
    await test(gateway);
  } finally {
    await gateway.close();
  }
}

describe("events and results", () => {
  it("hands the function a payload-2.0 event and a Lambda context", async () => {
    // A controllable clock: only Date is faked (timers and sockets run as usual), so the event's
    // time and the context's remaining time are exact, however the machine schedules.
    const start = Date.UTC(2026, 0, 2, 3, 4, 5);
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    const seen: { event: APIGatewayProxyEventV2; context: Context; remaining: number[] }[] = [];
    const handler: LambdaHttpHandler = async (event, context) => {
      const remaining = [context.getRemainingTimeInMillis()];
      vi.setSystemTime(Date.now() + 20);
      remaining.push(context.getRemainingTimeInMillis());
      seen.push({ event, context, remaining });
      return { statusCode: 204 };
    };
    try {
      await withGateway(handler, async ({ url }) => {
        await fetch(`${url}/acme/some%20thing?x=1&x=2&y=3`, { method: "POST", headers: { "Content-Type": "application/octet-stream", Cookie: "a=1; b=2", "User-Agent": "probe", "X-Mixed-Case": "v" }, body: new Uint8Array([0, 1, 2, 255]) });
        await fetch(`${url}/json`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"k": "é"}' });
      });
    } finally {
      vi.useRealTimers();
    }
    const [binary, text] = seen;
    expect(binary!.event).toMatchObject({
      version: "2.0",
      routeKey: "$default",
      rawPath: "/acme/some%20thing",
      rawQueryString: "x=1&x=2&y=3",
      queryStringParameters: { x: "1,2", y: "3" },
      cookies: ["a=1", "b=2"],
      body: Buffer.from([0, 1, 2, 255]).toString("base64"),
      isBase64Encoded: true,
      requestContext: { http: { method: "POST", path: "/acme/some%20thing", sourceIp: "127.0.0.1", userAgent: "probe" }, stage: "$default" },
    });
    expect(binary!.event.headers).toMatchObject({ "x-mixed-case": "v", "content-type": "application/octet-stream" });
    expect(binary!.event.headers).not.toHaveProperty("cookie");
    expect(binary!.event.requestContext).toMatchObject({ time: "02/Jan/2026:03:04:05 +0000", timeEpoch: start });
    expect(text!.event.requestContext.timeEpoch).toBe(start + 20);
    expect(text!.event).toMatchObject({ body: '{"k": "é"}', isBase64Encoded: false });
    expect(binary!.context.awsRequestId).not.toBe(text!.context.awsRequestId);
    // The whole timeout at the start, 20 ms less once 20 ms have passed.
    expect(binary!.remaining).toEqual([5_000, 4_980]);
    expect(text!.remaining).toEqual([5_000, 4_980]);
  });

  it("writes status, headers, cookies and base64 bodies back; a plain value is a 200 JSON body", async () => {
    let result: unknown = { statusCode: 201, headers: { "content-type": "image/png", "x-n": 3 }, cookies: ["s=1; Path=/", "t=2"], body: Buffer.from([137, 80, 78, 71]).toString("base64"), isBase64Encoded: true };
    await withGateway(async () => result, async ({ url }) => {
      const response = await fetch(url);
      expect(response.status).toBe(201);
      expect(response.headers.get("x-n")).toBe("3");
      expect(response.headers.getSetCookie()).toEqual(["s=1; Path=/", "t=2"]);
      expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([137, 80, 78, 71]);
      result = { hello: "world" };
      const plain = await fetch(url);
      expect([plain.status, plain.headers.get("content-type"), await json(plain)]).toEqual([200, "application/json", { hello: "world" }]);
    });
  });

  it("refuses a payload over 6 MB with 413 before invoking the function", async () => {
    let invoked = 0;
    await withGateway(async () => (invoked++, { statusCode: 200 }), async ({ url }) => {
      const response = await fetch(`${url}/workflows/run`, { method: "POST", headers: { "content-type": "application/json" }, body: "x".repeat(FUNCTION_URL_PAYLOAD_LIMIT + 1) });
      expect(response.status).toBe(413);
      expect((await json(response)).error).toMatchObject({ code: "request_too_large", details: { upload: { method: "POST", path: "/uploads" } } });
      // Base64 makes a binary body a third larger in the event: 5 MB of bytes pass the limit too.
      const binary = await fetch(url, { method: "POST", headers: { "content-type": "image/jpeg" }, body: new Uint8Array(5 * 1024 * 1024) });
      expect(binary.status).toBe(413);
      expect(invoked).toBe(0);
      expect((await fetch(url)).status).toBe(200);
      expect(invoked).toBe(1);
    });
  });

  it("answers 502 when the function throws or outlives its timeout", async () => {
    await withGateway(async () => {
      throw new Error("boom");
    }, async ({ url }) => {
      const response = await fetch(url);
      expect(response.status).toBe(502);
      expect((await json(response)).error.code).toBe("function_error");
    });
    await withGateway(() => new Promise(() => {}), async ({ url }) => {
      const response = await fetch(url);
      expect(response.status).toBe(502);
      expect((await json(response)).error.code).toBe("function_timeout");
    }, 200);
  });
});

describe("the API handler behind the gateway", () => {
  const key = "cvf_gateway_test_key";
  let s3: S3Server;
  let gateway: Gateway;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "cvflow-gateway-"));
    s3 = await startS3Server({ bucket: "cvflow-gateway-test", dataDir, port: 0 });
    // Powertools' Logger takes its level from the environment.
    process.env["POWERTOOLS_LOG_LEVEL"] = "ERROR";
    const client = createS3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials });
    await new S3ApiKeyStore(client, s3.bucket).put(key, { workspace: "acme", scopes: [...SCOPES], name: "test", createdAt: new Date().toISOString() });
    client.destroy();
    // As functions/api.ts makes it from the environment's configuration.
    const { apiConfig } = await import("../../../functions/http/config.js");
    const { createApiHandler } = await import("../../../functions/http/api-handler.js");
    const env = { CVFLOW_BUCKET: s3.bucket, CVFLOW_S3_ENDPOINT: s3.endpoint, AWS_REGION: s3.region, CVFLOW_TOKEN_SECRET: "gateway-test-secret" };
    const handler = await createApiHandler({ ...apiConfig(env), credentials: s3.credentials });
    gateway = await startGateway({ port: 0, handler, timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await gateway?.close();
    await s3?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(gateway.url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    return { status: response.status, headers: response.headers, body: await json(response) };
  };

  it("answers health, errors and routes as the API does", async () => {
    expect((await call("GET", "/health")).body).toEqual({ status: "ok", version: expect.any(String) });
    const missing = await call("GET", "/nowhere/to/be/found");
    expect([missing.status, missing.body.error.code]).toEqual([404, "route_not_found"]);
    const badJson = await call("POST", "/workflows/validate", "{oops");
    expect([badJson.status, badJson.body.error.code]).toEqual([400, "invalid_json"]);
    expect((await call("GET", "/openapi.json")).body.openapi).toBe("3.1.0");
  });

  it("saves a workflow in S3 and runs it with an image uploaded to S3", async () => {
    const spec = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [{ type: "roboflow_core/convert_grayscale@v1", name: "gray", image: "$inputs.image" }],
      outputs: [{ type: "JsonField", name: "gray", selector: "$steps.gray.image" }],
    };
    const created = await call("POST", "/acme/createWorkflow", { name: "Gray", config: JSON.stringify({ specification: spec }) });
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBe(`"${created.body.etag}"`);

    const upload = await call("POST", "/uploads", { content_type: "image/png" });
    expect(upload.status).toBe(200);
    const png = await sharp({ create: { width: 12, height: 9, channels: 3, background: "#c33" } }).png().toBuffer();
    const put = await fetch(upload.body.upload_url, { method: "PUT", headers: { "content-type": "image/png" }, body: png });
    expect(put.status).toBe(200);

    const run = await call("POST", "/acme/workflows/gray", { inputs: { image: upload.body.image } });
    expect(run.status).toBe(200);
    const gray = Buffer.from(run.body.outputs[0].gray.value, "base64");
    expect(await sharp(gray).metadata()).toMatchObject({ width: 12, height: 9 });

    const token = (await call("POST", "/acme/workflowToken", { url: "gray" })).body.token as string;
    const byToken = await fetch(`${gateway.url}/acme/workflows/gray`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ inputs: { image: upload.body.image } }) });
    expect(byToken.status).toBe(200);
    expect((await call("GET", "/acme/workflows", undefined, { authorization: `Bearer ${token}` })).status).toBe(403);
  });
});
