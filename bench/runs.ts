/**
 * Runs benchmark, on the local stack in its own process (as `npm start` runs it), through the SDK:
 * - `async_overhead_ms`: a one-step detection workflow started with runNowait and followed on its
 *   event stream to `run_finished`, then its record read (outputs included), against the same
 *   saved workflow run synchronously; interleaved pairs, the median of their differences (target
 *   <= 150 ms). `async_first_step_started_ms`: runNowait to the first `step_started` event.
 * - `events_per_s`: a finished run's log (a 100-step chain: 203 events) read over SSE by one
 *   reader, and by ten readers at once (all their events over the wall time).
 */
import { readFileSync } from "node:fs";
import { spawnLocalStack } from "@cvflow/local";
import { CvflowClient, type RunRecord } from "@cvflow/sdk";
import { median, round, type BenchResult } from "./measure.js";

const PHOTO = new URL("../../shared/images/bus.jpg", import.meta.url);
const ROUNDS = 10;
const WARMUP = 2;
const CHAIN_STEPS = 100;
const READS = 5;
const READERS = 10;

const detection = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "ObjectDetectionModel", name: "detection", image: "$inputs.image", model_id: "yolov8n-640" }],
  outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.detection.predictions" }],
};

/** Steps that pass a value along: a step's events cost what they cost, its work nearly nothing. */
const chain = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "value", default_value: 1 }],
  steps: Array.from({ length: CHAIN_STEPS }, (_, i) => ({
    type: "roboflow_core/first_non_empty_or_default@v1",
    name: `s${i}`,
    data: [i === 0 ? "$inputs.value" : `$steps.s${i - 1}.output`],
  })),
  outputs: [{ type: "JsonField", name: "value", selector: `$steps.s${CHAIN_STEPS - 1}.output` }],
};

export async function* runsBench(): AsyncIterable<BenchResult> {
  const stack = await spawnLocalStack({ port: 0, env: { CVFLOW_S3_PORT: "0" } });
  try {
    const client = new CvflowClient({ baseUrl: stack.url, apiKey: stack.apiKey });
    await client.createWorkflow("demo", { name: "bench detection", url: "bench-detection", specification: detection });
    await client.createWorkflow("demo", { name: "bench chain", url: "bench-chain", specification: chain });
    const saved = { workspace: "demo", workflowId: "bench-detection" };
    const images = { image: readFileSync(PHOTO) };

    const sync = async (): Promise<number> => {
      const t0 = performance.now();
      const { outputs } = await client.runWorkflow(saved, { images });
      if (outputs.length !== 1) throw new Error("the sync run gave no outputs");
      return performance.now() - t0;
    };
    const async_ = async (): Promise<{ firstStep: number; result: number }> => {
      const t0 = performance.now();
      const { id } = await client.runNowait(saved, { images });
      let firstStep = NaN;
      for await (const event of client.streamEvents(id)) {
        if (event.type === "step_started" && Number.isNaN(firstStep)) firstStep = performance.now() - t0;
      }
      const record = await client.getRun(id);
      const result = performance.now() - t0;
      succeeded(record);
      return { firstStep, result };
    };

    for (let i = 0; i < WARMUP; i++) {
      await sync();
      await async_();
    }
    // Interleaved, so that load from elsewhere on the machine falls on both alike.
    const syncMs: number[] = [];
    const firstStepMs: number[] = [];
    const asyncMs: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      syncMs.push(await sync());
      const { firstStep, result } = await async_();
      firstStepMs.push(firstStep);
      asyncMs.push(result);
    }
    const overheads = asyncMs.map((a, i) => a - syncMs[i]!);
    yield { metric: "sync_result_ms", value: round(median(syncMs), 1), unit: "ms", target: null, runs: ROUNDS };
    yield { metric: "async_first_step_started_ms", value: round(median(firstStepMs), 1), unit: "ms", target: null, runs: ROUNDS };
    yield { metric: "async_result_ms", value: round(median(asyncMs), 1), unit: "ms", target: null, runs: ROUNDS };
    yield { metric: "async_overhead_ms", value: round(median(overheads), 1), unit: "ms", target: "<= 150", runs: ROUNDS };

    const { id } = await client.runNowait({ workspace: "demo", workflowId: "bench-chain" });
    const record = await client.waitForRun(id);
    succeeded(record);
    const events = record.lastSequence;
    const read = async (): Promise<number> => {
      let n = 0;
      for await (const _event of client.streamEvents(id)) n++;
      if (n !== events) throw new Error(`a reader got ${n} of ${events} events`);
      return n;
    };
    const one: number[] = [];
    const ten: number[] = [];
    for (let r = 0; r < READS; r++) {
      let t0 = performance.now();
      const n = await read();
      one.push(n / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      const all = await Promise.all(Array.from({ length: READERS }, read));
      ten.push(all.reduce((a, b) => a + b, 0) / ((performance.now() - t0) / 1000));
    }
    yield { metric: "events_per_s_one_reader", value: round(median(one), 0), unit: "events/s", target: null, events, reads: READS };
    yield { metric: "events_per_s_ten_readers", value: round(median(ten), 0), unit: "events/s", target: null, events, readers: READERS, per_reader: round(median(ten) / READERS, 0) };
  } finally {
    await stack.stop();
  }
}

function succeeded(record: RunRecord): void {
  if (record.status !== "succeeded" || !record.outputs?.length) throw new Error(`run ${record.id} ended ${record.status}: ${JSON.stringify(record.error ?? {})}`);
}
