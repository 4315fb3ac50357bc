/**
 * The client retries only where the API's Retry-After says a retry can succeed. The sequences of
 * failures come from a canned server: the real service answers them only under load.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BLUR_WORKFLOW as SPECIFICATION } from "@cvflow/service/testing";
import { CvflowClient, CvflowError } from "../src/index.js";
import { retryDelayMs } from "../src/retry-after.js";
import { CannedServer } from "@cvflow/service/testing";

let api: CannedServer;
let client: CvflowClient;

beforeAll(async () => {
  api = await CannedServer.start();
  client = new CvflowClient({ baseUrl: api.url, apiKey: "cvf_test" });
});
beforeEach(() => api.reset());
afterAll(() => api.close());

const overrun = (details: Record<string, unknown>) => ({ code: "deadline_exceeded", message: "The run did not finish within its deadline", status: 504, details });

/** Answers the first `failures` runs with `reply`, then the default answer. */
function failingFirst(failures: number, reply: { status: number; headers?: Record<string, string>; body: unknown }): void {
  let calls = 0;
  api.answer(() => (calls++ < failures ? reply : { body: { outputs: [{ count: calls }] } }));
}

describe("runWorkflow and a 504", () => {
  it("retries after the seconds Retry-After gives, and answers the retry's outputs", async () => {
    failingFirst(1, { status: 504, headers: { "retry-after": "0" }, body: { error: overrun({ retryable: true }) } });
    const result = await client.runWorkflow({ specification: SPECIFICATION });
    expect(result.outputs).toEqual([{ count: 2 }]);
    expect(api.received.filter((r) => r.path === "/workflows/run")).toHaveLength(2);
  });

  it("does not retry a 504 without Retry-After: the same run would overrun again", async () => {
    failingFirst(1, { status: 504, body: { error: overrun({ retryable: false, repeated: false }) } });
    const error = await client.runWorkflow({ specification: SPECIFICATION }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CvflowError);
    expect((error as CvflowError).toJSON()).toMatchObject({ code: "deadline_exceeded", status: 504, details: { retryable: false } });
    expect(api.received).toHaveLength(1);
  });

  it("gives up after two retries, answering the last error", async () => {
    failingFirst(5, { status: 503, headers: { "retry-after": "0" }, body: { error: { code: "model_loading", message: "busy", status: 503, details: {} } } });
    const error = (await client.runWorkflow({ specification: SPECIFICATION }).catch((e: unknown) => e)) as CvflowError;
    expect([error.code, error.status]).toEqual(["model_loading", 503]);
    expect(api.received).toHaveLength(3);
  });
});

describe("retryDelayMs", () => {
  const headers = (value?: string) => new Headers(value === undefined ? {} : { "retry-after": value });
  it("reads seconds and HTTP dates, for 429, 503 and 504 only, up to 30 s", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(retryDelayMs(504, headers("1"), now)).toBe(1_000);
    expect(retryDelayMs(429, headers(" 2 "), now)).toBe(2_000);
    expect(retryDelayMs(503, headers("Wed, 01 Jan 2025 00:00:05 GMT"), now)).toBe(5_000);
    expect(retryDelayMs(503, headers("Wed, 01 Jan 2024 00:00:05 GMT"), now)).toBe(0);
    expect(retryDelayMs(504, headers(), now)).toBeUndefined();
    expect(retryDelayMs(500, headers("1"), now)).toBeUndefined();
    expect(retryDelayMs(504, headers("31"), now)).toBeUndefined();
    expect(retryDelayMs(504, headers("soon"), now)).toBeUndefined();
  });
});
