/**
 * What a first run meets, through the real `cvflow` executable: no API key (the error names
 * CVFLOW_API_KEY and --api-key), no server (it suggests `npm start` and names the URL it tried).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CannedServer, RecordedApi } from "@cvflow/service/testing";
import { cvflow } from "./spawn-cvflow.js";

/** The service's answer to a request without a key. */
const NO_KEY = { code: "unauthorized", message: "An API key is required: send it as `Authorization: Bearer <key>`, the `api_key` query parameter or `api_key` in the body", status: 401, details: {} };

/** The real service over loopback. */
let api: RecordedApi;
beforeAll(async () => {
  api = await RecordedApi.start();
});
afterAll(() => api.close());

describe("first run", () => {
  it("without a key: the 401 says to pass --api-key or set CVFLOW_API_KEY", async () => {
    const { code, stdout, stderr } = await cvflow(["workflows", "list", "demo"], { CVFLOW_URL: api.url });
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(api.last("/demo/workflows").answer!.json.error).toEqual(NO_KEY);
    expect(stderr).toBe(
      `cvflow: unauthorized: ${NO_KEY.message}. No API key was given: pass --api-key <key> or set CVFLOW_API_KEY (\`npm start\` prints the local stack's key; \`npm run api-key\` makes one)\n`,
    );
    const json = await cvflow(["--json", "workflows", "list", "demo"], { CVFLOW_URL: api.url });
    expect(JSON.parse(json.stderr).error).toMatchObject({ code: "unauthorized", status: 401, message: expect.stringContaining("set CVFLOW_API_KEY") });
  });

  it("with a wrong key: says where the key came from", async () => {
    const { code, stderr } = await cvflow(["workflows", "list", "demo"], { CVFLOW_URL: api.url, CVFLOW_API_KEY: "cvf_wrong" });
    expect(code).toBe(1);
    expect(stderr).toBe("cvflow: unauthorized: The API key is not valid. The key came from --api-key (CVFLOW_API_KEY)\n");
  });

  it("with no server: names the URL it tried and suggests npm start or cvflow serve", async () => {
    const url = await CannedServer.closedUrl();
    const { code, stderr } = await cvflow(["--url", url, "workflows", "list", "demo"], { CVFLOW_API_KEY: "cvf_k" });
    expect(code).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^cvflow: network_error: GET /demo/workflows: cannot reach ${url}: connect ECONNREFUSED [\\d.:]+\\. Is a cvflow server running at ${url}\\? Start the local one with \`npm start\` \\(in the cvflow repository\\) or \`cvflow serve\`, or point --url \\(CVFLOW_URL\\) at yours\\n$`,
      ),
    );
  });
});
