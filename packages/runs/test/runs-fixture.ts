/** What the runs tests run on: a local S3 server (a fresh bucket per file), the real engine with a sleep block, and RunsService over them. */
import { createWorkflowEngine } from "@cvflow/blocks";
import type { Block } from "@cvflow/engine";
import { sleepBlock } from "@cvflow/service/testing";
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import { afterAll, beforeAll } from "vitest";
import { ActiveRuns } from "../src/active-runs.js";
import type { DurableRunner, DurableRunPayload } from "../src/durable-runner.js";
import { EventLog } from "../src/event-log.js";
import { RunStore } from "../src/run-store.js";
import { RunsService, type RunsServiceOptions } from "../src/runs-service.js";
import type { RunRequest } from "../src/runs.js";

// The sleep block and the workflows are the service's test ones (@cvflow/service/testing).
export { ECHO_WORKFLOW, overrunWorkflow, sleepBlock } from "@cvflow/service/testing";

/** A DurableRunner that only records what it was asked (the durable handler is not under test here). */
export class RecordingRunner implements DurableRunner {
  readonly started: [string, DurableRunPayload][] = [];
  readonly callbacks: [string, unknown][] = [];
  readonly stopped: string[] = [];
  async start(name: string, payload: DurableRunPayload): Promise<void> {
    this.started.push([name, payload]);
  }
  async sendCallback(id: string, result: unknown): Promise<void> {
    this.callbacks.push([id, result]);
  }
  async stop(name: string): Promise<void> {
    this.stopped.push(name);
  }
}

export function request(workflow: unknown, inputs: Record<string, unknown> = {}, extra: Partial<RunRequest> = {}): RunRequest {
  return { workflow, inputs, reference: { name: "inline" }, workspace: "acme", startedBy: { keyId: "k1" }, ...extra };
}

export interface RunsFixture {
  s3: LocalS3;
  store: RunStore;
  events: EventLog;
  runner: RecordingRunner;
  runs: RunsService;
  /** Another RunsService on the same bucket with its own registry of executing runs: another process. */
  elsewhere(): RunsService;
  /** Another process whose clock says `now`. */
  elsewhereAt(now: number): RunsService;
}

/** One local S3 server for the file's tests. */
export function useRuns(options: Partial<RunsServiceOptions> = {}): RunsFixture {
  const fixture = {} as RunsFixture;
  beforeAll(async () => {
    const s3 = await startLocalS3();
    const engine = createWorkflowEngine({ blocks: [sleepBlock as Block] });
    const store = new RunStore(s3.client, s3.bucket);
    const events = new EventLog(s3.client, s3.bucket);
    const runner = new RecordingRunner();
    const make = (active: ActiveRuns, now?: () => number) => new RunsService({ engine, store, events, runner, active, ...(now ? { now } : {}), ...options });
    Object.assign(fixture, { s3, store, events, runner, runs: make(new ActiveRuns()), elsewhere: () => make(new ActiveRuns()), elsewhereAt: (now: number) => make(new ActiveRuns(), () => now) });
  });
  afterAll(() => fixture.s3.close());
  return fixture;
}
