/** The append-only event log over a local S3 server: order, two writers, follow, resume exactly once, many readers. */
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import { JsonObjects, sortableId } from "@cvflow/store";
import { EventEmitter } from "node:events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLog } from "../src/event-log.js";
import { runKeys } from "../src/layout.js";
import type { RunEvent } from "../src/run-events.js";

let s3: LocalS3;
let log: EventLog;

beforeAll(async () => {
  s3 = await startLocalS3();
  log = new EventLog(s3.client, s3.bucket);
});
afterAll(() => s3.close());

const step = (n: number) => ({ type: "step_started", step: `s${n}`, block: "b" }) as const;

describe("EventLog", () => {
  it("fetches each event once per process: a second reader of a log written elsewhere costs a listing only", async () => {
    const id = sortableId();
    const gets: string[] = [];
    s3.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "GetObjectCommand") gets.push((args.input as { Key: string }).Key);
        return next(args);
      },
      { step: "initialize", name: "countGets" },
    );
    try {
      // Another process's writes: the objects alone, nothing of them known in this one.
      const objects = new JsonObjects(s3.client, s3.bucket);
      for (let sequence = 1; sequence <= 5; sequence++) {
        await objects.write(runKeys.event(id, sequence), { ...step(sequence), runId: id, sequence, at: new Date().toISOString() });
      }
      expect((await log.read(id)).map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(gets.filter((key) => key.includes(id))).toHaveLength(5);
      expect((await new EventLog(s3.client, s3.bucket).read(id, 2)).map((e) => e.sequence)).toEqual([3, 4, 5]);
      expect(gets.filter((key) => key.includes(id))).toHaveLength(5);
    } finally {
      s3.client.middlewareStack.remove("countGets");
    }
  });

  it("numbers a writer's events 1, 2, 3, ... in the order appended", async () => {
    const id = sortableId();
    const writer = log.writer(id);
    const appended = await Promise.all(Array.from({ length: 12 }, (_, i) => writer.append(step(i))));
    expect(appended.map((e) => e.sequence)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await log.read(id)).map((e) => (e as { step: string }).step)).toEqual(Array.from({ length: 12 }, (_, i) => `s${i}`));
    expect(await log.lastSequence(id)).toBe(12);
    expect((await log.read(id, 10)).map((e) => e.sequence)).toEqual([11, 12]);
  });

  it("two writers of one run (two processes) never take the same number, and each keeps its own order", async () => {
    const id = sortableId();
    const other = new EventLog(s3.client, s3.bucket);
    const a = log.writer(id);
    const b = other.writer(id);
    await Promise.all([...Array.from({ length: 8 }, (_, i) => a.append(step(i))), ...Array.from({ length: 8 }, (_, i) => b.append(step(100 + i)))]);
    await Promise.all([a.flush(), b.flush()]);
    const events = await log.read(id);
    expect(events.map((e) => e.sequence)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    const steps = events.map((e) => Number((e as { step: string }).step.slice(1)));
    expect(steps.filter((n) => n < 100)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(steps.filter((n) => n >= 100)).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
  });

  it("a reader that leaves mid-stream and resumes after the last number it saw gets every event exactly once, while a second reader reads the whole stream", async () => {
    const id = sortableId();
    const writer = log.writer(id);
    const total = 10;
    const whole = (async () => {
      const seen: RunEvent[] = [];
      for await (const event of log.follow(id, 0)) seen.push(event);
      return seen;
    })();
    // The first reader takes 4 events, then its connection drops.
    const first: RunEvent[] = [];
    const leaving = (async () => {
      const controller = new AbortController();
      for await (const event of log.follow(id, 0, { signal: controller.signal })) {
        first.push(event);
        if (first.length === 4) controller.abort();
      }
    })();
    for (let i = 0; i < 6; i++) await writer.append(step(i));
    await leaving;
    // More events while it is away; then it resumes after the last number it saw (SSE Last-Event-ID).
    for (let i = 6; i < total - 1; i++) await writer.append(step(i));
    const resumed: RunEvent[] = [];
    const resuming = (async () => {
      for await (const event of log.follow(id, first.at(-1)!.sequence)) resumed.push(event);
    })();
    await writer.append({ type: "run_finished", status: "succeeded", elapsedMs: 5 });
    await resuming;
    const both = [...first, ...resumed].map((e) => e.sequence);
    expect(both).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect((await whole).map((e) => e.sequence)).toEqual(both);
  });

  it("a follower in another process (no in-process wake-up) sees events by polling, and stops at the run's end", async () => {
    const id = sortableId();
    // Its own wake-up emitter: as in another process, this log's writes do not reach it.
    const elsewhere = new EventLog(s3.client, s3.bucket, { pollMs: 20, wake: new EventEmitter() });
    const seen = (async () => {
      const events: RunEvent[] = [];
      for await (const event of elsewhere.follow(id, 0)) events.push(event);
      return events;
    })();
    const writer = log.writer(id);
    await writer.append(step(1));
    await writer.append({ type: "run_finished", status: "failed", elapsedMs: 1, error: { code: "x", message: "y" } });
    expect((await seen).map((e) => e.type)).toEqual(["step_started", "run_finished"]);
  });

  it("logs made apart in one process (the API's, the durable handler's) wake each other's followers: no poll is waited for", async () => {
    const id = sortableId();
    // A poll an hour apart: only the in-process wake-up can deliver within the test's time.
    const follower = new EventLog(s3.client, s3.bucket, { pollMs: 3_600_000 });
    const writerLog = new EventLog(s3.client, s3.bucket);
    const seen = (async () => {
      const events: RunEvent[] = [];
      for await (const event of follower.follow(id, 0)) events.push(event);
      return events;
    })();
    // Let the follower find the log empty and wait, then write from the other log.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const writer = writerLog.writer(id);
    await writer.append(step(1));
    await writer.append({ type: "run_finished", status: "succeeded", elapsedMs: 1 });
    expect((await seen).map((e) => e.type)).toEqual(["step_started", "run_finished"]);
  });

  it("pastFinal: a follower keeps going past run_finished (a retry appends a new attempt)", async () => {
    const id = sortableId();
    const writer = log.writer(id);
    await writer.append({ type: "run_finished", status: "cancelled", elapsedMs: 1 });
    const controller = new AbortController();
    const seen: RunEvent[] = [];
    const following = (async () => {
      for await (const event of log.follow(id, 0, { signal: controller.signal, pastFinal: true })) {
        seen.push(event);
        if (event.type === "run_started") controller.abort();
      }
    })();
    await writer.append({ type: "run_queued" });
    await writer.append({ type: "run_started", attempt: 2 });
    await following;
    expect(seen.map((e) => e.type)).toEqual(["run_finished", "run_queued", "run_started"]);
  });
});
