/** `cvflow validate`, `describe`, `health` against the real service over loopback, `--version`, and the workspace bin link behind `npx cvflow`. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BLUR_WORKFLOW as SPECIFICATION, RecordedApi, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { cvflow, ROOT } from "./spawn-cvflow.js";

let api: RecordedApi;
let env: Record<string, string>;
const dir = mkdtempSync(`${tmpdir()}/cvflow-cli-`);
const SPEC = `${dir}/spec.json`;
const BROKEN = `${dir}/broken.json`;

beforeAll(async () => {
  api = await RecordedApi.start({ version: "1.2.3-test" });
  env = { CVFLOW_URL: api.url };
  writeFileSync(SPEC, JSON.stringify(SPECIFICATION));
  writeFileSync(BROKEN, JSON.stringify({ version: "1.0", inputs: [] }));
});
beforeEach(() => api.reset());
afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cvflow validate", () => {
  it("says a definition is valid", async () => {
    expect(await cvflow(["validate", SPEC], env)).toEqual({ code: 0, stdout: `${SPEC}: valid\n`, stderr: "" });
    expect(api.last("/workflows/validate").json).toEqual({ specification: SPECIFICATION });
    expect(api.last("/workflows/validate").headers["authorization"]).toBeUndefined();
  });

  it("lists every problem with its pointer and exits 1", async () => {
    const { code, stdout, stderr } = await cvflow(["validate", BROKEN], env);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const { error } = api.last("/workflows/validate").answer!.json;
    expect(error.details.errors).toHaveLength(2);
    expect(stderr).toBe(`cvflow: invalid_workflow: ${error.message}\n${error.details.errors.map((e: { pointer: string; message: string }) => `  ${e.pointer}: ${e.message}\n`).join("")}`);
    expect(stderr).toContain('  /specification/outputs: "outputs" must be a list\n');
  });

  it("refuses a file that is not JSON", async () => {
    const notJson = `${dir}/not.json`;
    writeFileSync(notJson, "{ version:");
    const { code, stderr } = await cvflow(["validate", notJson], env);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cvflow: invalid_json: .*not\.json is not JSON/);
    expect(api.received).toHaveLength(0);
  });

  it("refuses a definition nested 10,000 levels deep, naming the limit, before sending it", async () => {
    const deep = `${dir}/deep.json`;
    writeFileSync(deep, `{"version": "1.0", "x": ${"[".repeat(10_000)}${"]".repeat(10_000)}}`);
    const { code, stderr } = await cvflow(["validate", deep], env);
    expect(code).toBe(1);
    expect(stderr).toBe(`cvflow: too_deeply_nested: ${deep} nests objects and arrays more than 64 levels deep\n`);
    expect(api.received).toHaveLength(0);
  });
});

describe("cvflow describe", () => {
  it("lists the inputs and outputs of a definition with their kinds", async () => {
    const { code, stdout } = await cvflow(["describe", SPEC], env);
    expect(code).toBe(0);
    expect(stdout).toBe(["inputs", "  image       image", "  confidence  *", "outputs", "  blurred     image", "  confidence  *", ""].join("\n"));
  });

  it("describes a saved workflow, as JSON", async () => {
    await api.test.store.create(TEST_WORKSPACE, { url: "shelf", name: "Shelf", specification: SPECIFICATION });
    const { code, stdout } = await cvflow(["describe", "acme/shelf", "--json"], { ...env, CVFLOW_API_KEY: TEST_KEYS.reader });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).typingHints).toEqual(api.last("/acme/workflows/shelf/describe_interface").answer!.json.typing_hints);
    expect(JSON.parse(stdout).typingHints).toEqual({ "*": "any", image: "object" });
    expect(api.last("/acme/workflows/shelf/describe_interface").headers["authorization"]).toBe(`Bearer ${TEST_KEYS.reader}`);
  });
});

describe("cvflow itself", () => {
  it("checks health against --url", async () => {
    expect(await cvflow(["health", "--url", api.url])).toEqual({ code: 0, stdout: `${api.url}: ok (version 1.2.3-test)\n`, stderr: "" });
  });

  it("prints its version and help with exit 0, and help on a bare command with exit 2", async () => {
    expect(await cvflow(["--version"])).toMatchObject({ code: 0, stdout: "0.1.0\n" });
    expect(await cvflow(["workflows", "--help"])).toMatchObject({ code: 0, stdout: expect.stringContaining("Usage: cvflow workflows") });
    const bare = await cvflow([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("Usage: cvflow");
  });

  it("runs through the workspace bin link that `npx cvflow` uses", async () => {
    const path = `${ROOT}node_modules/.bin:${process.env["PATH"] ?? ""}`;
    const { code, stdout } = await cvflow(["health", "--json"], { ...env, PATH: path }, [`${ROOT}node_modules/.bin/cvflow`]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ status: "ok", version: "1.2.3-test" });
  });
});
