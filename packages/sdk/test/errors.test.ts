/** Credentials, base URLs, and every way a call fails: the server's envelope, other answers, network, timeout. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CvflowClient, CvflowError } from "../src/index.js";
import { FakeApi } from "./fake-api.js";

let api: FakeApi;

beforeAll(async () => {
  api = await FakeApi.start();
});
beforeEach(() => api.reset());
afterAll(() => api.close());

async function failure(call: Promise<unknown>): Promise<CvflowError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CvflowError);
  return error as CvflowError;
}

describe("credentials and base URL", () => {
  it("sends a workflow token instead of the API key", async () => {
    await new CvflowClient({ baseUrl: api.url, apiKey: "cvf_key", token: "cvt_token" }).health();
    expect(api.last("/health").headers["authorization"]).toBe("Bearer cvt_token");
  });

  it("sends the API key when the token is empty (an unset environment variable)", async () => {
    await new CvflowClient({ baseUrl: api.url, apiKey: "cvf_key", token: "" }).health();
    expect(api.last("/health").headers["authorization"]).toBe("Bearer cvf_key");
  });

  it("keeps a path prefix and drops trailing slashes", async () => {
    api.reply("GET /prefix/health", { body: { status: "ok", version: "x" } });
    await new CvflowClient({ baseUrl: `${api.url}/prefix//` }).health();
    expect(api.received[0]!.path).toBe("/prefix/health");
  });

  it("uses the fetch it is given", async () => {
    const seen: string[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      seen.push(`${init?.method} ${String(input)}`);
      return globalThis.fetch(input, init);
    };
    await new CvflowClient({ baseUrl: api.url, fetch }).health();
    expect(seen).toEqual([`GET ${api.url}/health`]);
  });
});

describe("errors", () => {
  const client = () => new CvflowClient({ baseUrl: api.url, apiKey: "cvf_other" });

  it("maps the server's envelope to code, status, message and details", async () => {
    api.reply("GET /:workspace/workflows", {
      status: 403,
      body: { error: { code: "forbidden", message: "This key belongs to another workspace", status: 403, details: { workspace: "acme" } } },
    });
    const error = await failure(client().listWorkflows("acme"));
    expect(error.toJSON()).toEqual({ code: "forbidden", message: "This key belongs to another workspace", status: 403, details: { workspace: "acme" } });
    expect(error.name).toBe("CvflowError");
  });

  it("keeps a 412 and a 504 with their details", async () => {
    api.reply("POST /:workspace/updateWorkflow", { status: 412, body: { error: { code: "precondition_failed", message: "stale", status: 412, details: {} } } });
    expect(await failure(client().updateWorkflow("acme", "shelf", { name: "x" }, { etag: '"old"' }))).toMatchObject({ code: "precondition_failed", status: 412 });
    api.reply("POST /workflows/run", { status: 504, body: { error: { code: "deadline_exceeded", message: "20 s", status: 504, details: { finished_steps: ["a"] } } } });
    expect(await failure(client().runWorkflow({ specification: {} }))).toMatchObject({ code: "deadline_exceeded", status: 504, details: { finished_steps: ["a"] } });
  });

  it("reports an answer without the envelope as http_error, with the body's start", async () => {
    api.reply("GET /health", { status: 502, raw: "<html>Bad Gateway</html>" });
    const error = await failure(client().health());
    expect(error).toMatchObject({ code: "http_error", status: 502, message: "GET /health answered 502: <html>Bad Gateway</html>" });
  });

  it("reports a success that is not JSON as invalid_response", async () => {
    api.reply("GET /health", { status: 200, raw: "ok" });
    expect(await failure(client().health())).toMatchObject({ code: "invalid_response", status: 200 });
  });

  it("reports an unreachable server as network_error", async () => {
    const closed = await FakeApi.start();
    const url = closed.url;
    await closed.close();
    const error = await failure(new CvflowClient({ baseUrl: url }).health());
    expect(error.code).toBe("network_error");
    expect(error.status).toBe(0);
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("reports a slow answer as timeout", async () => {
    api.reply("GET /health", { delayMs: 500, body: { status: "ok", version: "x" } });
    const error = await failure(new CvflowClient({ baseUrl: api.url, timeoutMs: 50 }).health());
    expect(error).toMatchObject({ code: "timeout", status: 0, details: { timeoutMs: 50 } });
  });
});
