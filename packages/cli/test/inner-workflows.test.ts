/**
 * In-process runs (`cvflow process-image`) of definitions whose inner_workflow steps name saved
 * workflows: the real command, the saved workflows read through a real service over loopback.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecordedApi, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { examplePhoto } from "@cvflow/vision/test-assets";
import { GRAYSCALE_WORKFLOW } from "./image-folder.js";
import { cvflow } from "./spawn-cvflow.js";

const dir = mkdtempSync(`${tmpdir()}/cvflow-inner-`);
const DOG = examplePhoto("dog.jpg");

const including = (workspace: string, id: string) => ({
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/inner_workflow@v1", name: "inc", workflow_workspace_id: workspace, workflow_id: id, parameter_bindings: { image: "$inputs.image" } }],
  outputs: [{ type: "JsonField", name: "width", selector: "$steps.inc.width" }],
});

function specFile(name: string, specification: unknown): string {
  const path = `${dir}/${name}.json`;
  writeFileSync(path, JSON.stringify(specification));
  return path;
}

let api: RecordedApi;
let width: number;
beforeAll(async () => {
  api = await RecordedApi.start();
  await api.test.store.create(TEST_WORKSPACE, { url: "gray", name: "Gray", specification: GRAYSCALE_WORKFLOW });
  await api.test.store.create(TEST_WORKSPACE, { url: "parent", name: "Parent", specification: including(TEST_WORKSPACE, "gray") });
  await api.test.store.create("other", { url: "theirs", name: "Theirs", specification: GRAYSCALE_WORKFLOW });
  width = (await sharp(DOG).metadata()).width!;
});
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cvflow process-image with inner workflows naming saved ones", () => {
  it("reads the saved workflow a definition file includes through the API", async () => {
    const env = { CVFLOW_URL: api.url, CVFLOW_API_KEY: TEST_KEYS.reader };
    const before = api.received.length;
    const { code, stdout, stderr } = await cvflow(["--json", "process-image", DOG, "--workflow", specFile("including", including(TEST_WORKSPACE, "gray"))], env);
    expect([code, stderr]).toEqual([0, ""]);
    expect(JSON.parse(stdout)).toEqual({ width });
    expect(api.received.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /${TEST_WORKSPACE}/workflows/gray`]);
  });

  it("reads a saved workflow and the one it includes", async () => {
    const env = { CVFLOW_URL: api.url, CVFLOW_API_KEY: TEST_KEYS.reader };
    const before = api.received.length;
    const { code, stdout } = await cvflow(["--json", "process-image", DOG, "--workflow", `${TEST_WORKSPACE}/parent`], env);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ width });
    expect(api.received.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /${TEST_WORKSPACE}/workflows/parent`, `GET /${TEST_WORKSPACE}/workflows/gray`]);
  });

  it("reports a workflow the key may not read as not found, at its pointer", async () => {
    const { code, stderr } = await cvflow(["process-image", DOG, "--workflow", specFile("theirs", including("other", "theirs"))], { CVFLOW_URL: api.url, CVFLOW_API_KEY: TEST_KEYS.reader });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'cvflow: invalid_workflow: Step "inc": the saved workflow other/theirs does not exist, or these credentials may not read it\n' +
        '  /steps/0/workflow_id step inc: Step "inc": the saved workflow other/theirs does not exist, or these credentials may not read it\n',
    );
  });

  it("says a service is needed when none answers", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const { code, stderr } = await cvflow(["process-image", DOG, "--workflow", specFile("closed", including(TEST_WORKSPACE, "gray"))], { CVFLOW_URL: `http://127.0.0.1:${port}` });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cvflow: network_error: .*Is a cvflow server running at http:\/\/127\.0\.0\.1:\d+\?/);
  });
});
