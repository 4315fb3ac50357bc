/** whoami against the real service over loopback HTTP: `GET /` asked for JSON with the credential, for an API key, a workflow token and a key the service does not know. */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BLUR_WORKFLOW, RecordedApi, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { CvflowClient, CvflowError } from "../src/index.js";

let api: RecordedApi;

beforeAll(async () => {
  api = await RecordedApi.start();
});
beforeEach(() => api.reset());
afterAll(() => api.close());

const over = (credential: { apiKey: string } | { token: string }) => new CvflowClient({ baseUrl: api.url, ...credential });

describe("whoami", () => {
  it("answers an API key's workspace, scopes and id, asking GET / for JSON with the key as a Bearer header", async () => {
    expect(await over({ apiKey: TEST_KEYS.runner }).whoami()).toEqual({
      workspace: TEST_WORKSPACE,
      scopes: ["workflow:run"],
      keyId: createHash("sha256").update(TEST_KEYS.runner).digest("hex").slice(0, 16),
    });
    expect(api.received.map((r) => [r.method, r.path, r.headers["accept"], r.headers["authorization"]])).toEqual([["GET", "/", "application/json", `Bearer ${TEST_KEYS.runner}`]]);
  });

  it("answers a workflow token's workspace and workflow, without a key id", async () => {
    await api.test.store.create(TEST_WORKSPACE, { url: "blur", name: "Blur", specification: BLUR_WORKFLOW });
    const { token } = await over({ apiKey: TEST_KEYS.admin }).createWorkflowToken(TEST_WORKSPACE, "blur");
    expect(await over({ token }).whoami()).toEqual({ workspace: TEST_WORKSPACE, scopes: ["workflow:run"], workflow: "blur" });
  });

  it("is a CvflowError 401 unauthorized for a key the service does not know", async () => {
    const error = await over({ apiKey: "cvf_nobody" }).whoami().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CvflowError);
    expect(error).toMatchObject({ status: 401, code: "unauthorized" });
  });
});
