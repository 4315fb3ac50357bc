/** `cvflow run --nowait` and `cvflow runs ...`: the real executable against the real local stack over loopback. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { CvflowClient } from "@cvflow/sdk";
import { testStack } from "../../../test/local-stack.js";
import { cvflow } from "./spawn-cvflow.js";
import { REVIEW_WORKFLOW } from "@cvflow/service/testing";

const CHAIN = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "value", default_value: 1 }],
  steps: [
    { type: "roboflow_core/first_non_empty_or_default@v1", name: "a", data: ["$inputs.value"] },
    { type: "roboflow_core/first_non_empty_or_default@v1", name: "b", data: ["$steps.a.output"] },
  ],
  outputs: [{ type: "JsonField", name: "value", selector: "$steps.b.output" }],
};

const dir = mkdtempSync(`${tmpdir()}/cvflow-cli-runs-`);
let stack: LocalStack;
let env: Record<string, string>;
let client: CvflowClient;

beforeAll(async () => {
  writeFileSync(`${dir}/chain.json`, JSON.stringify(CHAIN));
  writeFileSync(`${dir}/review.json`, JSON.stringify(REVIEW_WORKFLOW));
  writeFileSync(`${dir}/answer.json`, JSON.stringify({ ok: true }));
  stack = await testStack();
  env = { CVFLOW_URL: stack.url, CVFLOW_API_KEY: stack.apiKey };
  client = new CvflowClient({ baseUrl: stack.url, apiKey: stack.apiKey });
});
afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `cvflow run <file> --nowait ...`: the run id it prints. */
async function start(file: string, ...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await cvflow(["run", `${dir}/${file}`, "--nowait", ...args], env);
  expect(stderr).toBe("");
  expect(code).toBe(0);
  expect(stdout).toMatch(/^\S+\n$/);
  return stdout.trim();
}

async function waiting(id: string): Promise<void> {
  for await (const event of client.streamEvents(id)) if (event.type === "input_required") return;
}

const TIME = String.raw`\d\d:\d\d:\d\d\.\d{3}`;

describe("cvflow runs", () => {
  it("run --nowait prints the id; events --follow prints one line per event to the run's end; get and list show it", async () => {
    const id = await start("chain.json", "--param", "value=5");
    const followed = await cvflow(["runs", "events", id, "--follow"], env);
    expect(followed.code).toBe(0);
    const lines = followed.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(7);
    expect(lines[0]).toMatch(new RegExp(`^1  ${TIME}  run_queued$`));
    expect(lines[1]).toMatch(new RegExp(`^2  ${TIME}  run_started  attempt 1$`));
    expect(lines[2]).toMatch(new RegExp(`^3  ${TIME}  step_started  a \\(roboflow_core/first_non_empty_or_default@v1\\)$`));
    expect(lines[3]).toMatch(new RegExp(`^4  ${TIME}  step_finished  a \\d+(\\.\\d)? ms, 1 element$`));
    expect(lines[6]).toMatch(new RegExp(`^7  ${TIME}  run_finished  succeeded \\d+(\\.\\d)? ms$`));

    // Without --follow: the log as it is; with --json: one event per line; --after skips.
    expect((await cvflow(["runs", "events", id], env)).stdout).toBe(followed.stdout);
    const json = (await cvflow(["runs", "events", id, "--json", "--after", "5"], env)).stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
    expect(json.map((e) => [e.sequence, e.type])).toEqual([[6, "step_finished"], [7, "run_finished"]]);

    const got = await cvflow(["runs", "get", id], env);
    expect(got.stdout).toMatch(new RegExp(`^run +${id}\nstatus +succeeded\nworkflow +inline\nmode +async\n`));
    expect(got.stdout).toContain("input value  5");
    expect(got.stdout).toMatch(/\nsteps\n {2}STEP +STATUS +DURATION +ATTEMPTS\n {2}a +succeeded +\d+(\.\d)? ms +1\n {2}b +succeeded/);
    expect(got.stdout).toMatch(/\noutputs\n {2}value {2}5\n$/);
    expect(JSON.parse((await cvflow(["runs", "get", id, "--json"], env)).stdout)).toEqual(await client.getRun(id));

    const listed = await cvflow(["runs", "list", "--status", "succeeded", "--workflow", "inline"], env);
    expect(listed.stdout).toMatch(/^RUN +STATUS +WORKFLOW +CREATED +ELAPSED\n/);
    expect(listed.stdout).toMatch(new RegExp(`\n${id} +succeeded +inline +\\S+ +\\d+(\\.\\d)? ms\n`));
    expect((await cvflow(["runs", "list", "--status", "waiting"], env)).stdout).not.toContain(id);
  }, 30_000);

  it("answer: a wrong answer fails with where it is wrong; one from a file goes on; a follower sees the question and the answer", async () => {
    const id = await start("review.json");
    const follower = cvflow(["runs", "events", id, "--follow"], env);
    await waiting(id);
    const wrong = await cvflow(["runs", "answer", id, '{"ok": "yes"}'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^cvflow: invalid_answer: .*\/ok/);
    const notJson = await cvflow(["runs", "answer", id, "{ok"], env);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain("the answer is not JSON");

    const answered = await cvflow(["runs", "answer", id, "--file", `${dir}/answer.json`], env);
    expect(answered.code).toBe(0);
    expect(answered.stdout).toMatch(new RegExp(`^${id}: (running|succeeded)\n$`));
    const { stdout } = await follower;
    expect(stdout).toMatch(new RegExp(`  input_required  review: Is this right\\? \\(answer schema ${escape(JSON.stringify(REVIEW_WORKFLOW.steps[1]!.answer_schema))}\\)\n`));
    expect(stdout).toContain('  input_received  review: {"ok":true}\n');
    expect(stdout).toMatch(/  run_finished  succeeded \d+(\.\d)? ms\n$/);
  }, 30_000);

  it("cancel, then retry: a new attempt", async () => {
    const id = await start("review.json", "--idempotency-key", `cli-${Date.now()}`);
    await waiting(id);
    expect((await cvflow(["runs", "cancel", id], env)).stdout).toBe(`${id}: cancelled\n`);
    const retried = await cvflow(["runs", "retry", id], env);
    expect(retried.stdout).toBe(`${id}: queued\n`);
    await client.cancel(id);
  }, 30_000);

  it("refuses what it cannot send: an unknown status, an answer given twice or not at all", async () => {
    expect((await cvflow(["runs", "list", "--status", "done"], env)).stderr).toContain("Expected one of queued, running, waiting, succeeded, failed, cancelled, timed_out.");
    for (const args of [["runs", "answer", "run_x"], ["runs", "answer", "run_x", "{}", "--file", `${dir}/answer.json`]]) {
      const { code, stderr } = await cvflow(args, env);
      expect(code).toBe(2);
      expect(stderr).toContain("give the answer either as a JSON argument or with --file");
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
