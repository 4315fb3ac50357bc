/**
 * Credentials, base URLs, and every way a call fails: the service's envelope (the real service
 * in-process), and what only a transport gives — other answers, network, timeout (a canned server).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RecordedApi, SLOW_WORKFLOW, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { CvflowClient, CvflowError } from "../src/index.js";
import { CannedServer } from "@cvflow/service/testing";

let api: RecordedApi;
let canned: CannedServer;

beforeAll(async () => {
  // A short deadline, for a run that overruns it.
  api = await RecordedApi.start({ limits: { runDeadlineMs: 300 } });
  canned = await CannedServer.start();
});
beforeEach(() => {
  api.reset();
  canned.reset();
});
afterAll(async () => {
  await api.close();
  await canned.close();
});

async function failure(call: Promise<unknown>): Promise<CvflowError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CvflowError);
  return error as CvflowError;
}

describe("credentials and base URL", () => {
  const over = (options: { baseUrl?: string; apiKey?: string; token?: string }) => new CvflowClient({ baseUrl: api.baseUrl, fetch: api.fetch, ...options });

  it("sends a workflow token instead of the API key", async () => {
    await over({ apiKey: "cvf_key", token: "cvt_token" }).health();
    expect(api.last("/health").headers["authorization"]).toBe("Bearer cvt_token");
  });

  it("sends the API key when the token is empty (an unset environment variable)", async () => {
    await over({ apiKey: "cvf_key", token: "" }).health();
    expect(api.last("/health").headers["authorization"]).toBe("Bearer cvf_key");
  });

  it("keeps a path prefix and drops trailing slashes", async () => {
    // The service has no routes under a prefix: its 404 names the path the client asked for.
    expect(await failure(over({ baseUrl: `${api.baseUrl}/prefix//` }).health())).toMatchObject({ status: 404 });
    expect(api.received[0]!.path).toBe("/prefix/health");
  });

  it("uses the fetch it is given", async () => {
    const seen: string[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      seen.push(`${init?.method} ${String(input)}`);
      return api.fetch(input, init);
    };
    await new CvflowClient({ baseUrl: api.baseUrl, fetch }).health();
    expect(seen).toEqual([`GET ${api.baseUrl}/health`]);
  });
});

describe("errors", () => {
  const client = (apiKey: string = TEST_KEYS.other) => new CvflowClient({ baseUrl: api.baseUrl, apiKey, fetch: api.fetch });

  it("maps the server's envelope to code, status, message and details", async () => {
    const error = await failure(client().listWorkflows("acme"));
    expect(error.toJSON()).toEqual(api.last("/acme/workflows").answer!.json.error);
    expect(error).toMatchObject({ code: "forbidden", status: 403 });
    expect(error.name).toBe("CvflowError");
  });

  it("keeps a 412 and a 504 with their details", async () => {
    const { etag } = await api.test.store.create(TEST_WORKSPACE, { url: "shelf", name: "Shelf", specification: SLOW_WORKFLOW });
    await api.test.store.update(TEST_WORKSPACE, "shelf", { name: "Changed" }, etag);
    expect(await failure(client(TEST_KEYS.admin).updateWorkflow("acme", "shelf", { name: "x" }, { etag }))).toMatchObject({ code: "precondition_failed", status: 412 });
    expect(await failure(client(TEST_KEYS.runner).runWorkflow({ specification: SLOW_WORKFLOW }))).toMatchObject({
      code: "deadline_exceeded",
      status: 504,
      details: { finished_steps: ["a"] },
    });
  });

  it("reports an answer without the envelope as http_error, with the body's start", async () => {
    canned.answer(() => ({ status: 502, raw: "<html>Bad Gateway</html>" }));
    const error = await failure(new CvflowClient({ baseUrl: canned.url }).health());
    expect(error).toMatchObject({ code: "http_error", status: 502, message: "GET /health answered 502: <html>Bad Gateway</html>" });
  });

  it("reports a success that is not JSON as invalid_response", async () => {
    canned.answer(() => ({ status: 200, raw: "ok" }));
    expect(await failure(new CvflowClient({ baseUrl: canned.url }).health())).toMatchObject({ code: "invalid_response", status: 200 });
  });

  it("reports an unreachable server as network_error", async () => {
    const error = await failure(new CvflowClient({ baseUrl: await CannedServer.closedUrl() }).health());
    expect(error.code).toBe("network_error");
    expect(error.status).toBe(0);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("reports a slow answer as timeout", async () => {
    canned.answer(() => ({ delayMs: 500, body: { status: "ok", version: "x" } }));
    const error = await failure(new CvflowClient({ baseUrl: canned.url, timeoutMs: 50 }).health());
    expect(error).toMatchObject({ code: "timeout", status: 0, details: { timeout_ms: 50 } });
  });
});
