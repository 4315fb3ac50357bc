/**
 * A run outlives a restart of the local stack: an async run that waits for a person is started,
 * the stack is stopped (its durable executions, kept in memory by the SDK's local runner, are
 * gone), a new stack is started on the same data folder — it takes the run up again from S3 —
 * and the run is read, answered and finishes there, its step before the wait reused, not run again.
 * Once in this process (stack closed, new stack), once across processes (the first one killed).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnLocalStack, type LocalStack } from "@cvflow/local";
import { afterAll, describe, expect, it } from "vitest";
import { call, testStack } from "./local-stack.js";
import { REVIEW_WORKFLOW } from "@cvflow/service/testing";

/** The run's events up to its question. */
const ASKED = ["run_queued", "run_started", "step_started before", "step_finished before", "step_started review", "input_required"];

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

    const started = await call(first, "POST", "/workflows/runs", { body: { specification: REVIEW_WORKFLOW, inputs: { value: "dog" } } });
    expect(started.status).toBe(202);
    const id: string = started.body.id;
    // Waiting, and the record written to the end of the log (the stack is stopped, not crashed: its writes are done).
    const waiting = await recordWhen(first, id, (r) => r.status === "waiting" && r.waitingFor !== undefined && r.lastSequence === ASKED.length);
    expect(waiting.waitingFor).toMatchObject({ step: "review", prompt: "Is this right?", data: "dog" });
    const before = waiting.steps.find((s: any) => s.name === "before");
    expect(before).toMatchObject({ status: "succeeded", attempts: 1 });

    await first.close();
    stacks.pop();

    const second = await testStack({ dataDir });
    stacks.push(second);
    expect(second.apiKey).toBe(first.apiKey);
    expect(second.resumedRuns).toEqual([id]);

    // The run reads as it was: waiting for the same question (the new stack's execution waits again, asking nothing anew).
    const read = await call(second, "GET", `/runs/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: "waiting", lastSequence: waiting.lastSequence, waitingFor: { step: "review", requestedAt: waiting.waitingFor.requestedAt } });

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
      ...ASKED,
      // after the restart, the answer
      "input_received",
      // the segment after the answer
      "step_finished before reused",
      "step_started review",
      "step_finished review",
      "run_finished",
    ]);
  });
});

/** A request to a stack process (url and key from its banner). */
async function request(stack: { url: string; apiKey: string }, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: `Bearer ${stack.apiKey}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function processRecordWhen(stack: { url: string; apiKey: string }, id: string, ready: (record: any) => boolean): Promise<any> {
  for (;;) {
    const { status, body } = await request(stack, "GET", `/runs/${id}`);
    expect(status).toBe(200);
    if (ready(body)) return body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("async runs across a crash of the local stack's process", () => {
  it("a run waiting when its stack was killed is answered on the next stack's process, started on the same data", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "cvflow-crash-"));
    const env = { CVFLOW_S3_PORT: "0", POWERTOOLS_LOG_LEVEL: "ERROR" };
    const first = await spawnLocalStack({ port: 0, env, dataDir });
    let second: Awaited<ReturnType<typeof spawnLocalStack>> | undefined;
    try {
      const started = await request(first, "POST", "/workflows/runs", { specification: REVIEW_WORKFLOW, inputs: { value: "cat" } });
      expect(started.status).toBe(202);
      const id: string = started.body.id;
      await processRecordWhen(first, id, (r) => r.status === "waiting" && r.waitingFor !== undefined);

      // No goodbye: the process ends as a crash ends it.
      process.kill(first.pid, "SIGKILL");
      while (isAlive(first.pid)) await new Promise((resolve) => setTimeout(resolve, 20));

      second = await spawnLocalStack({ port: 0, env, dataDir });
      const waiting = await request(second, "GET", `/runs/${id}`);
      expect(waiting.status).toBe(200);
      expect(waiting.body.waitingFor).toMatchObject({ step: "review", data: "cat" });
      expect((await request(second, "POST", `/runs/${id}/input`, { answer: { ok: false } })).status).toBe(200);
      const done = await processRecordWhen(second, id, (r) => r.status === "succeeded");
      expect(done.outputs).toEqual([{ answer: { ok: false } }]);
      expect(done.attempts).toEqual([expect.objectContaining({ number: 1, status: "succeeded", reusedSteps: ["before"] })]);
    } finally {
      if (isAlive(first.pid)) await first.stop();
      await second?.stop();
    }
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
