/**
 * Taking runs up again at a stack's start (local-runs.ts): which runs of the data are started as
 * new durable executions — async ones not finished — and under which execution name (the attempt
 * the run is on; a retry queued but not started yet is the next one).
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { RunStore, runKeys, type DurableRunner, type DurableRunPayload, type RunRecord } from "@cvflow/runs";
import { sortableId } from "@cvflow/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resumeUnfinishedRuns } from "../src/local-runs.js";
import { startLocalS3, type LocalS3 } from "./s3-fixture.js";

let s3: LocalS3;
let store: RunStore;

beforeAll(async () => {
  s3 = await startLocalS3();
  store = new RunStore(s3.client, s3.bucket);
});
afterAll(() => s3?.close());

/** The starts it was asked for. */
class RecordingRunner implements DurableRunner {
  readonly started: [string, DurableRunPayload][] = [];
  async start(name: string, payload: DurableRunPayload): Promise<void> {
    this.started.push([name, payload]);
  }
  async sendCallback(): Promise<void> {}
  async stop(): Promise<void> {}
}

const finishedAttempt = (number: number) => ({ number, startedAt: "2026-01-01T00:00:00.000Z", finishedAt: "2026-01-01T00:01:00.000Z", status: "failed" as const, reusedSteps: [] });
const runningAttempt = (number: number) => ({ number, startedAt: "2026-01-01T00:00:00.000Z", status: "running" as const, reusedSteps: [] });

/** A run in the data, listed among the unfinished ones as RunsService lists it (runs-active/). */
async function run(extra: Partial<RunRecord>): Promise<string> {
  const id = sortableId();
  await store.create({
    id,
    taskId: sortableId(),
    workspace: "demo",
    mode: "async",
    workflow: { name: "inline" },
    startedBy: {},
    status: "queued",
    inputsSummary: {},
    createdAt: new Date().toISOString(),
    totalSteps: 1,
    steps: [],
    attempts: [],
    limitMs: 60_000,
    deliveries: [],
    lastSequence: 1,
    ...extra,
  });
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: runKeys.activeEntry(id), Body: "" }));
  return id;
}

describe("resumeUnfinishedRuns", () => {
  it("starts each unfinished async run on the attempt it is on; leaves finished runs, sync ones and one it cannot read", async () => {
    const queued = await run({});
    const running = await run({ status: "running", attempts: [runningAttempt(1)] });
    const waiting = await run({ status: "waiting", attempts: [runningAttempt(1)] });
    const retryQueued = await run({ status: "queued", attempts: [finishedAttempt(1)] });
    const retryRunning = await run({ status: "running", attempts: [finishedAttempt(1), runningAttempt(2)] });
    await run({ status: "succeeded", attempts: [finishedAttempt(1)] });
    await run({ mode: "sync", status: "running", attempts: [runningAttempt(1)] });

    // A record cut short (the machine crashed while the S3 server wrote it): skipped, said, the others taken up.
    const cut = await run({ status: "running", attempts: [runningAttempt(1)] });
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: runKeys.record(cut), Body: '{"id":' }));

    const runner = new RecordingRunner();
    const logged: string[] = [];
    const resumed = await resumeUnfinishedRuns(store, runner, (message) => logged.push(message));
    expect(logged).toEqual([`cvflow local runs: run ${cut} could not be taken up again`]);
    expect(new Set(resumed)).toEqual(new Set([queued, running, waiting, retryQueued, retryRunning]));
    expect(Object.fromEntries(runner.started)).toEqual({
      [queued]: { runId: queued, attempt: 1 },
      [running]: { runId: running, attempt: 1 },
      [waiting]: { runId: waiting, attempt: 1 },
      [`${retryQueued}-a2`]: { runId: retryQueued, attempt: 2 },
      [`${retryRunning}-a2`]: { runId: retryRunning, attempt: 2 },
    });
  });
});
