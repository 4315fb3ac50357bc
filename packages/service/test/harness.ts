/**
 * A service over in-memory stores and the real engine (core blocks, no models), with keys of two
 * workspaces, driven through its one entry point `handle`: `request` gives the whole answer,
 * `call` the answer with the route's own headers only.
 */
import { randomUUID } from "node:crypto";
import { createTestService, sleepBlock, streamText, TEST_KEYS, TEST_WORKSPACE, type TestServiceOptions } from "../src/testing/index.js";

export const WORKSPACE = TEST_WORKSPACE;
export const KEYS = TEST_KEYS;
export { sleepBlock };

export const imageSpec = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [],
  outputs: [{ type: "JsonField", name: "image", selector: "$inputs.image" }],
};

export interface CallInit {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as it is, instead of `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
  key?: string;
  /** The caller giving up. */
  signal?: AbortSignal;
}

export interface Answer {
  statusCode: number;
  headers: Record<string, string>;
  body: any;
}

/** Set on every answer, whatever the route. */
const COMMON_HEADERS = ["content-type", "x-request-id"];

export async function testService(options: TestServiceOptions = {}) {
  const test = await createTestService(options);
  const { service } = test;

  /** The whole answer to `method path` (the path may carry a query), every header included; each request has its own id. */
  async function request(method: string, path: string, init: CallInit = {}): Promise<Answer> {
    const [pathname, query = ""] = path.split("?") as [string, string?];
    const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    const response = await service.handle({
      method,
      path: pathname,
      query,
      headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
      ...(body === undefined ? {} : { body: Buffer.from(body) }),
      requestId: randomUUID(),
      ...(init.signal ? { signal: init.signal } : {}),
    });
    // A stream's text as it ends (the route must end it: `follow=false`).
    return { statusCode: response.statusCode, headers: response.headers, body: response.stream ? await streamText(response.stream) : JSON.parse(response.body) };
  }

  /** The answer with the route's own headers (those every answer has left out). */
  async function call(method: string, path: string, init: CallInit = {}): Promise<Answer> {
    const answer = await request(method, path, init);
    return { ...answer, headers: Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !COMMON_HEADERS.includes(name))) };
  }

  return { ...test, request, call };
}
