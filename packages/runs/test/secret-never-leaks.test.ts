/**
 * A secret read by environment_secrets_store never leaves the run: not in its outputs (wired to the
 * secret itself, to a block's copy of it, to text a block made with it), its record (a failed
 * step's error message too), its events, the step checkpoints and anything else written to the
 * bucket, nor the process's logs (a block that logs what it was given) — while the block that
 * needs it still gets its value. (A restored checkpoint reads the variable again: step-values.test.ts.)
 */
import { randomUUID } from "node:crypto";
import { format } from "node:util";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createWorkflowEngine } from "@cvflow/blocks";
import { defineBlock, type Block } from "@cvflow/engine";
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { durableSegment } from "../src/durable-segment.js";
import { EventLog } from "../src/event-log.js";
import { RunStore } from "../src/run-store.js";
import { RunsService } from "../src/runs-service.js";
import { RecordingRunner, request } from "./runs-fixture.js";

const NAME = "WORKFLOW_SECRET_LEAK_TEST";
const VALUE = `sk-leak-${randomUUID()}`;

/** What a careless block does with a key: logs its parameters, copies it out, writes it into text, fails naming it. */
const careless = defineBlock<{ key: unknown; fail: boolean }>({
  manifest: {
    type: "test/careless@v1",
    name: "Careless",
    description: "Mishandles a key.",
    family: "formatters",
    fields: { key: { kinds: ["secret", "string"], required: true }, fail: { schema: { type: "boolean" }, default: false } },
    outputs: [
      { name: "copy", kinds: ["*"] },
      { name: "text", kinds: ["string"] },
      { name: "revealed_length", kinds: ["integer"] },
    ],
  },
  run: ({ key, fail }) => {
    console.log("careless got", { key }, `key=${String(key)}`);
    console.error(key);
    if (fail) throw new Error(`the key ${key} was refused`);
    const revealed = (key as { reveal(): string }).reveal();
    return { copy: key, text: `Bearer ${key}`, revealed_length: revealed.length };
  },
});

function workflow(fail = false) {
  return {
    version: "1.0",
    inputs: [],
    steps: [
      { type: "roboflow_core/environment_secrets_store@v1", name: "vault", variables_storing_secrets: [NAME] },
      { type: "test/careless@v1", name: "use", key: `$steps.vault.${NAME.toLowerCase()}`, fail },
    ],
    outputs: [
      { type: "JsonField", name: "secret", selector: `$steps.vault.${NAME.toLowerCase()}` },
      { type: "JsonField", name: "all", selector: "$steps.use.*" },
    ],
  };
}

let s3: LocalS3;
let store: RunStore;
let events: EventLog;
let runs: RunsService;
const engine = createWorkflowEngine({ blocks: [careless as Block] });
const logged: string[] = [];

beforeAll(async () => {
  s3 = await startLocalS3();
  store = new RunStore(s3.client, s3.bucket);
  events = new EventLog(s3.client, s3.bucket);
  runs = new RunsService({ engine, store, events, runner: new RecordingRunner() });
  process.env[NAME] = VALUE;
  // What the console would print (util.format, as Node's console and Lambda's log capture format it), and what reaches the streams directly.
  for (const method of ["log", "info", "warn", "error", "debug"] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logged.push(format(...args)));
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    });
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env[NAME];
  await s3.close();
});

/** Every object in the bucket, as text. */
async function bucketText(): Promise<string> {
  const texts: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, ContinuationToken: token }));
    for (const o of page.Contents ?? []) texts.push(o.Key!, Buffer.from(await (await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: o.Key! }))).Body!.transformToByteArray()).toString("latin1"));
    token = page.NextContinuationToken;
  } while (token);
  return texts.join("\n");
}

describe("a secret", () => {
  it("reaches the block that reveals it, and shows nowhere: outputs, record, events, checkpoints, logs", async () => {
    // An async run: its durable segment writes a checkpoint per step.
    const started = await runs.start(request(workflow()));
    const segment = durableSegment({ engine, store, events });
    const first = await segment((await store.get(started.id))!, { attempt: 1, startsAttempt: true, signal: AbortSignal.timeout(10_000) });
    expect(first.outcome).toBe("succeeded");
    expect(first.result?.outputs).toEqual([{ secret: "***", all: { copy: "***", text: "Bearer ***", revealed_length: VALUE.length } }]);

    const sync = await runs.runSync(request(workflow(true)), AbortSignal.timeout(10_000));
    expect(sync.status).toBe("failed");
    expect(sync.error?.message).toContain("the key *** was refused");
    await runs.drain();

    const record = JSON.stringify([await store.get(started.id), await store.get(sync.id)]);
    const allEvents = JSON.stringify([await events.read(started.id), await events.read(sync.id)]);
    const bucket = await bucketText();
    // Not vacuous: the record, the events and the bucket hold the runs, the checkpoints the store step by name.
    expect(record).toContain('"secret":"***"');
    expect(allEvents).toContain("step_finished");
    expect(bucket).toContain(`"$t":"secret","name":"${NAME}"`);
    expect(logged.join("")).toContain("careless got");
    for (const [where, text] of [["record", record], ["events", allEvents], ["bucket", bucket], ["logs", logged.join("")]] as const) expect([where, text.includes(VALUE)]).toEqual([where, false]);
  });
});
