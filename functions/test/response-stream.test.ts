/**
 * The API's handler in RESPONSE_STREAM mode behind the local gateway (which plays Lambda's
 * streaming runtime), over real HTTP on loopback: a streamed response reaches the client chunk by
 * chunk while the route is still producing; a client that leaves ends the iteration and aborts
 * the request's signal; a JSON answer is the same as in BUFFERED mode. And CVFLOW_INVOKE_MODE.
 */
import { request as httpGet, type IncomingMessage } from "node:http";
import { Logger } from "@aws-lambda-powertools/logger";
import { installLambdaStreamingRuntime, startGateway, type Gateway, type LambdaHttpHandler } from "@cvflow/local";
import type { HttpRequest, HttpResponse } from "@cvflow/service";
import { afterEach, describe, expect, it } from "vitest";
import { apiConfig } from "../http/config.js";
import { lambdaHandler } from "../http/lambda-handler.js";

const logger = new Logger({ serviceName: "cvflow-api-test", logLevel: "SILENT" });
let gateway: Gateway | undefined;

afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** A promise and its resolver. */
function later<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** The gateway in front of the streaming handler over `handle`. */
async function serve(handle: (request: HttpRequest) => Promise<HttpResponse>): Promise<Gateway> {
  installLambdaStreamingRuntime();
  const handler = lambdaHandler({ handle }, logger, "RESPONSE_STREAM") as unknown as LambdaHttpHandler;
  gateway = await startGateway({ port: 0, handler });
  return gateway;
}

function get(url: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => httpGet(url, resolve).on("error", reject).end());
}

function nextChunk(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => response.once("data", (chunk: Buffer) => resolve(chunk.toString())));
}

describe("RESPONSE_STREAM", () => {
  it("writes each chunk as the route makes it: the client reads the first while the route still waits", async () => {
    const second = later();
    const { url } = await serve(async () => ({
      statusCode: 200,
      headers: { "content-type": "text/event-stream; charset=utf-8", "x-request-id": "r1" },
      stream: (async function* () {
        yield "data: 1\n\n";
        await second.promise;
        yield "data: 2\n\n";
      })(),
    }));
    const response = await get(`${url}/runs/x/events`);
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(response.headers["x-request-id"]).toBe("r1");
    expect(response.headers["content-length"]).toBeUndefined();
    expect(response.headers["transfer-encoding"]).toBe("chunked");
    expect(await nextChunk(response)).toBe("data: 1\n\n");
    const rest = (async () => {
      let text = "";
      for await (const chunk of response) text += chunk;
      return text;
    })();
    second.resolve();
    expect(await rest).toBe("data: 2\n\n");
  });

  it("a client that leaves ends the iteration and aborts the request's signal", async () => {
    const finished = later();
    const aborted = later();
    const { url } = await serve(async (request) => {
      request.signal!.addEventListener("abort", () => aborted.resolve());
      return {
        statusCode: 200,
        headers: { "content-type": "application/x-ndjson" },
        stream: (async function* () {
          try {
            for (let i = 1; ; i++) {
              yield `{"n":${i}}\n`;
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          } finally {
            finished.resolve();
          }
        })(),
      };
    });
    const response = await get(`${url}/stream`);
    expect(await nextChunk(response)).toBe('{"n":1}\n');
    response.destroy();
    await Promise.all([finished.promise, aborted.promise]);
  });

  it("sends a JSON answer as BUFFERED mode does", async () => {
    const body = JSON.stringify({ status: "ok", version: "1" });
    const { url } = await serve(async () => ({ statusCode: 201, headers: { "content-type": "application/json; charset=utf-8", etag: '"e"' }, body }));
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("etag")).toBe('"e"');
    expect(await response.text()).toBe(body);
  });
});

describe("CVFLOW_INVOKE_MODE", () => {
  const env = { CVFLOW_BUCKET: "b" };

  it("is BUFFERED unless set, and takes either mode", () => {
    expect(apiConfig(env).invokeMode).toBe("BUFFERED");
    expect(apiConfig({ ...env, CVFLOW_INVOKE_MODE: "RESPONSE_STREAM" }).invokeMode).toBe("RESPONSE_STREAM");
    expect(apiConfig({ ...env, CVFLOW_INVOKE_MODE: "response_stream" }).invokeMode).toBe("RESPONSE_STREAM");
  });

  it("refuses anything else, naming both modes", () => {
    expect(() => apiConfig({ ...env, CVFLOW_INVOKE_MODE: "STREAM" })).toThrow('CVFLOW_INVOKE_MODE must be BUFFERED or RESPONSE_STREAM (the Function URL\'s invoke mode); got "STREAM"');
  });
});
