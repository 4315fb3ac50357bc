/**
 * `disable_sinks` from every run request reaches the blocks as `services.sinksDisabled`: the sync
 * routes (inline, saved, legacy paths) with and without runs kept, and async runs through their
 * stored request — so the durable segment that runs them, and a retry, keep it.
 */
import { createWorkflowEngine } from "@cvflow/blocks";
import { defineBlock, type Block } from "@cvflow/engine";
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import { createTestService, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { durableSegment } from "../src/durable-segment.js";
import { EventLog } from "../src/event-log.js";
import { RunStore } from "../src/run-store.js";
import { RunsService } from "../src/runs-service.js";
import { readRunRequest } from "../src/stored-request.js";
import { RecordingRunner } from "./runs-fixture.js";

/** Says what a sink would see: whether the run asked its sinks to stay silent. */
const probe = defineBlock({
  manifest: { type: "test/sink_probe@v1", name: "Sink probe", description: "Outputs services.sinksDisabled.", family: "sinks", fields: {}, outputs: [{ name: "disabled", kinds: ["boolean"] }] },
  run: (_params, ctx) => ({ disabled: ctx.services.sinksDisabled === true }),
});
const PROBE_WORKFLOW = {
  version: "1.0",
  inputs: [],
  steps: [{ type: "test/sink_probe@v1", name: "probe" }],
  outputs: [{ type: "JsonField", name: "disabled", selector: "$steps.probe.disabled" }],
};

let s3: LocalS3;
let store: RunStore;
let events: EventLog;
const engine = createWorkflowEngine({ blocks: [probe as Block] });
const runner = new RecordingRunner();
let withRuns: Awaited<ReturnType<typeof createTestService>>;
let withoutRuns: Awaited<ReturnType<typeof createTestService>>;

beforeAll(async () => {
  s3 = await startLocalS3();
  store = new RunStore(s3.client, s3.bucket);
  events = new EventLog(s3.client, s3.bucket);
  withRuns = await createTestService({ engine, runs: new RunsService({ engine, store, events, runner }) });
  withoutRuns = await createTestService({ engine });
  const admin = { authorization: `Bearer ${TEST_KEYS.admin}` };
  const created = await post(withRuns, `/${TEST_WORKSPACE}/createWorkflow`, { name: "Probe", url: "probe", config: { specification: PROBE_WORKFLOW } }, admin);
  expect(created.status).toBe(201);
});
afterAll(() => s3.close());

async function post(t: typeof withRuns, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await t.service.handle({ method: "POST", path, query: "", headers: { authorization: `Bearer ${TEST_KEYS.runner}`, ...headers }, body: new TextEncoder().encode(JSON.stringify(body)), requestId: "r1" });
  return { status: response.statusCode, body: JSON.parse((response as { body: string }).body) };
}

describe("disable_sinks", () => {
  it("reaches the blocks of a sync run on every run path, kept or not; absent or false it does not", async () => {
    const saved = `/${TEST_WORKSPACE}/workflows/probe`;
    const legacySaved = `/infer/workflows/${TEST_WORKSPACE}/probe`;
    const seen: [string, unknown, unknown][] = [];
    for (const [name, t] of [["runs kept", withRuns], ["no runs", withoutRuns]] as const) {
      for (const [path, body] of [["/workflows/run", { specification: PROBE_WORKFLOW }], ["/infer/workflows", { specification: PROBE_WORKFLOW }], [saved, {}], [legacySaved, {}]] as const) {
        if (name === "no runs" && path !== "/workflows/run") continue; // the saved workflow lives in the other service's store
        for (const disable of [true, false, undefined]) {
          const response = await post(t, path, { ...body, ...(disable === undefined ? {} : { disable_sinks: disable }) });
          expect(response.status).toBe(200);
          seen.push([`${name} ${path}`, disable, response.body.outputs[0].disabled]);
        }
      }
    }
    expect(seen.filter(([, asked, got]) => got !== (asked === true))).toEqual([]);
    expect(seen).toHaveLength(3 * 4 + 3);
  });

  it("is kept in an async run's stored request, which the segment of every attempt (a retry's too) runs, and the blocks see it", async () => {
    for (const [path, body] of [["/workflows/runs", { specification: PROBE_WORKFLOW }], [`/${TEST_WORKSPACE}/workflows/probe/runs`, {}]] as const) {
      const outputs: unknown[] = [];
      for (const disable of [true, false]) {
        const started = await post(withRuns, path, { ...body, disable_sinks: disable });
        expect(started.status).toBe(202);
        const id = started.body.id as string;
        expect((await readRunRequest(store, id))?.disableSinks).toBe(disable ? true : undefined);
        const record = (await store.get(id))!;
        const executed = await durableSegment({ engine, store, events })(record, { attempt: 1, startsAttempt: true, signal: AbortSignal.timeout(10_000) });
        expect(executed.outcome).toBe("succeeded");
        outputs.push(executed.result?.outputs);
      }
      expect(outputs).toEqual([[{ disabled: true }], [{ disabled: false }]]);
    }
  });

  it("is refused when it is not a boolean, naming the field", async () => {
    const response = await post(withRuns, "/workflows/run", { specification: PROBE_WORKFLOW, disable_sinks: "yes" });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.error)).toContain("disable_sinks");
  });
});
