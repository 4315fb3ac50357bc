/**
 * A run outlives a restart of the local stack: an async run that waits for a person is started,
 * the stack is stopped (its durable executions, kept in memory by the SDK's local runner, are
 * gone), a new stack is started on the same data folder — it takes the run up again from S3 —
 * and the run is read, answered and finishes there, its step before the wait reused, not run again.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalStack } from "@cvflow/local";
import { afterAll, describe, expect, it } from "vitest";
import { call, testStack } from "./local-stack.js";

/** value -> a step -> a person confirms it -> output the answer. */
const REVIEW = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "value" }],
  steps: [
    { type: "roboflow_core/first_non_empty_or_default@v1", name: "before", data: ["$inputs.value"] },
    {
      type: "cvflow/wait_for_input@v1",
      name: "review",
      data: "$steps.before.output",
      prompt: "Is this a dog?",
      answer_schema: { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] },
    },
  ],
  outputs: [{ type: "JsonField", name: "answer", selector: "$steps.review.answer" }],
};

const stacks: LocalStack[] = [];
afterAll(async () => {
  for (const stack of stacks) await stack.close();
});

async function recordWhen(stack: LocalStack, id: string, ready: (record: any) => boolean): Promise<any> {
  for (;;) {
    const { status, body } = await call(stack, "GET", `/runs/${id}`);
    expect(status).toBe(200);
    if (ready(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("async runs across a restart of the local stack", () => {
  it("a waiting run started before the restart is read, answered and finishes after it", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cvflow-restart-"));
    const first = await testStack({ dataDir });
    stacks.push(first);

    const started = await call(first, "POST", "/workflows/runs", { body: { specification: REVIEW, inputs: { value: "dog" } } });
    expect(started.status).toBe(202);
    const id: string = started.body.id;
    const waiting = await recordWhen(first, id, (r) => r.status === "waiting" && r.waitingFor !== undefined);
    expect(waiting.waitingFor).toMatchObject({ step: "review", prompt: "Is this a dog?", data: "dog" });
    const before = waiting.steps.find((s: any) => s.name === "before");
    expect(before).toMatchObject({ status: "succeeded", attempts: 1 });

    await first.close();
    stacks.pop();

    const second = await testStack({ dataDir });
    stacks.push(second);
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.resumedRuns).toEqual([id]);

    // The new stack's execution of the run asks again (a new callback), its step before restored from S3.
    const asked = await recordWhen(second, id, (r) => r.status === "waiting" && r.waitingFor !== undefined && r.waitingFor.requestedAt !== waiting.waitingFor.requestedAt);
    expect(asked.waitingFor).toMatchObject({ step: "review", data: "dog" });

    const answered = await call(second, "POST", `/runs/${id}/input`, { body: { answer: { ok: true } } });
    expect(answered.status).toBe(200);
    const done = await recordWhen(second, id, (r) => r.status === "succeeded");
    expect(done.outputs).toEqual([{ answer: { ok: true } }]);
    // The step before the wait ran once, before the restart: its record is that attempt's.
    expect(done.steps.find((s: any) => s.name === "before")).toEqual(before);
    expect(done.attempts).toEqual([expect.objectContaining({ number: 1, status: "succeeded", reusedSteps: ["before"] })]);

    const log = await fetch(`${second.url}/runs/${id}/events?format=ndjson&follow=false`, { headers: { authorization: `Bearer ${second.apiKey}` } });
    expect(log.status).toBe(200);
    const events = (await log.text())
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(events.map((e: any) => e.sequence)).toEqual(events.map((_: unknown, i: number) => i + 1));
    expect(events.map((e: any) => (e.type.startsWith("step_") ? `${e.type} ${e.step}${e.reused ? " reused" : ""}` : e.type))).toEqual([
      "run_queued",
      "run_started",
      "step_started before",
      "step_finished before",
      "step_started review",
      "input_required",
      // after the restart
      "step_finished before reused",
      "step_started review",
      "input_required",
      "input_received",
      // the segment after the answer
      "step_finished before reused",
      "step_started review",
      "step_finished review",
      "run_finished",
    ]);
  });
});
