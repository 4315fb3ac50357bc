/** Run records over a local S3 server: conditional updates under races, the workspace's list (filters, pages), idempotency claims, purge. */
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import { sortableId } from "@cvflow/store";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunRecord } from "../src/run-record.js";
import { RunStore } from "../src/run-store.js";

let s3: LocalS3;
let store: RunStore;

beforeAll(async () => {
  s3 = await startLocalS3();
  store = new RunStore(s3.client, s3.bucket);
});
afterAll(() => s3.close());

function record(workspace: string, createdMs: number, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id: sortableId(createdMs),
    taskId: sortableId(createdMs),
    workspace,
    mode: "async",
    workflow: { name: "inline" },
    startedBy: {},
    status: "queued",
    inputsSummary: {},
    createdAt: new Date(createdMs).toISOString(),
    totalSteps: 0,
    steps: [],
    attempts: [],
    limitMs: 1000,
    deliveries: [],
    lastSequence: 0,
    ...extra,
  };
}

describe("RunStore", () => {
  it("concurrent updates of one record are all applied: none overwrites another", async () => {
    const run = record("race", Date.now());
    await store.create(run);
    await Promise.all(Array.from({ length: 6 }, (_, i) => store.update(run.id, (r) => ({ ...r, deliveries: [...r.deliveries, { attempt: i, at: r.createdAt, delivered: true }] }))));
    const after = (await store.get(run.id))!;
    expect(after.deliveries.map((d) => d.attempt).toSorted()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("an update that changes nothing writes nothing; an unknown or malformed id is undefined", async () => {
    const run = record("race", Date.now());
    await store.create(run);
    expect(await store.update(run.id, () => undefined)).toEqual(run);
    expect(await store.update(sortableId(), (r) => r)).toBeUndefined();
    expect(await store.get("../../etc")).toBeUndefined();
    await expect(store.create(run)).rejects.toThrow();
  });

  it("lists a workspace's runs newest first, filtered, in pages", async () => {
    const t0 = Date.parse("2026-01-01T00:00:00Z");
    const runs = [
      record("ws", t0, { status: "succeeded", workflow: { name: "a" }, startedBy: { user: "u1" }, inputsSummary: { image: "base64 image (2 KB)" } }),
      record("ws", t0 + 1000, { status: "failed", workflow: { name: "b" }, startedBy: { user: "u2" } }),
      record("ws", t0 + 2000, { status: "succeeded", workflow: { name: "a" }, startedBy: { user: "u1" } }),
      record("ws", t0 + 3000, { status: "running", workflow: { name: "a" }, startedBy: { user: "u2" } }),
      record("elsewhere", t0 + 4000),
    ];
    for (const run of runs) await store.create(run);
    const ids = (page: { runs: RunRecord[] }) => page.runs.map((r) => r.id);
    expect(ids(await store.list({ workspace: "ws" }, 100))).toEqual([runs[3]!.id, runs[2]!.id, runs[1]!.id, runs[0]!.id]);
    expect(ids(await store.list({ workspace: "ws", status: ["succeeded"] }, 100))).toEqual([runs[2]!.id, runs[0]!.id]);
    expect(ids(await store.list({ workspace: "ws", workflow: "b" }, 100))).toEqual([runs[1]!.id]);
    expect(ids(await store.list({ workspace: "ws", user: "u2" }, 100))).toEqual([runs[3]!.id, runs[1]!.id]);
    expect(ids(await store.list({ workspace: "ws", from: t0 + 1000, to: t0 + 2000 }, 100))).toEqual([runs[2]!.id, runs[1]!.id]);
    expect(ids(await store.list({ workspace: "ws", keyword: "BASE64" }, 100))).toEqual([runs[0]!.id]);

    const first = await store.list({ workspace: "ws" }, 3);
    expect(ids(first)).toEqual([runs[3]!.id, runs[2]!.id, runs[1]!.id]);
    expect(first.cursor).toBeDefined();
    const second = await store.list({ workspace: "ws" }, 3, first.cursor);
    expect(ids(second)).toEqual([runs[0]!.id]);
    expect(second.cursor).toBeUndefined();
    // A filtered page counts only the runs that pass.
    const filtered = await store.list({ workspace: "ws", status: ["succeeded", "failed"] }, 2);
    expect(ids(filtered)).toEqual([runs[2]!.id, runs[1]!.id]);
    expect(ids(await store.list({ workspace: "ws", status: ["succeeded", "failed"] }, 2, filtered.cursor))).toEqual([runs[0]!.id]);
  });

  it("an Idempotency-Key is claimed once: a second claim answers the first", async () => {
    const key = "f".repeat(64);
    expect(await store.claimIdempotency("ws", key, { runId: "r1", bodyHash: "h1" })).toBeUndefined();
    expect(await store.claimIdempotency("ws", key, { runId: "r2", bodyHash: "h2" })).toEqual({ runId: "r1", bodyHash: "h1" });
    // Another workspace's key of the same text is another claim.
    expect(await store.claimIdempotency("ws2", key, { runId: "r3", bodyHash: "h1" })).toBeUndefined();
  });

  it("purge deletes the record, everything under the run and its index entry", async () => {
    const run = record("purge", Date.now());
    await store.create(run);
    await store.objects.write(`runs/${run.id}/events/000000000001.json`, { x: 1 });
    await store.purge(run);
    expect(await store.get(run.id)).toBeUndefined();
    expect(await store.objects.keys(`runs/${run.id}/`)).toEqual([]);
    expect((await store.list({ workspace: "purge" }, 10)).runs).toEqual([]);
  });
});
