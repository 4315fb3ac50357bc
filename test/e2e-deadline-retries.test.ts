/**
 * Whether a 504 may be retried, against the real stack with a 1 s deadline. An overrun the
 * workflow's own steps cause has no Retry-After, and identical retries (Roboflow's client tries a
 * request up to three times while it gets 504) do not run it again (runs counted in a file the step appends to); an overrun whose time went to
 * a cold start (a transient wait) has Retry-After: 1, and the SDK's retry then succeeds.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { CvflowClient, CvflowError } from "@cvflow/sdk";
import { call, testStack } from "./local-stack.js";

const DEADLINE_MS = 1_000;
let stack: LocalStack;
beforeAll(async () => {
  stack = await testStack({
    env: { CVFLOW_RUN_DEADLINE_MS: String(DEADLINE_MS), CVFLOW_BLOCKS_MODULE: fileURLToPath(new URL("./fixtures/deadline-blocks.ts", import.meta.url)) },
  });
});
afterAll(() => stack?.close());

/** The SDK, counting the requests it sends to the run route. */
function countingClient(): { client: CvflowClient; runs: () => number } {
  let runs = 0;
  const counted: typeof fetch = (input, init) => {
    if (String(input).endsWith("/workflows/run")) runs++;
    return fetch(input, init);
  };
  return { client: new CvflowClient({ baseUrl: stack.url, apiKey: stack.apiKey, fetch: counted }), runs: () => runs };
}

describe("an overrun of the workflow's own steps", () => {
  const tally = join(mkdtempSync(join(tmpdir(), "cvflow-tally-")), "runs");
  const runsCounted = () => readFileSync(tally, "utf8").split("\n").filter(Boolean).length;
  const sleeper = (ms: number) => ({
    version: "1.0",
    inputs: [],
    steps: [{ type: "test/tally_sleep@v1", name: "nap", tally, ms }],
    outputs: [{ type: "JsonField", name: "slept", selector: "$steps.nap.slept" }],
  });

  it("has no Retry-After, and three identical retries get the same 504 without running it again", async () => {
    const body = { specification: sleeper(3_000), inputs: {} };
    const first = await call(stack, "POST", "/workflows/run", { body });
    expect(first.status).toBe(504);
    expect(first.headers.get("retry-after")).toBeNull();
    expect(first.body.error.details).toMatchObject({ running_steps: ["nap"], retryable: false, repeated: false });
    expect(runsCounted()).toBe(1);
    // What inference_sdk does with a 504 (twice more, 1 s apart), and once more.
    for (let retry = 0; retry < 3; retry++) {
      const again = await call(stack, "POST", "/workflows/run", { body });
      expect(again.status).toBe(504);
      expect(again.headers.get("retry-after")).toBeNull();
      expect(again.body.error.details).toMatchObject({ running_steps: ["nap"], retryable: false, repeated: true, first_request_id: first.headers.get("x-request-id") });
    }
    expect(runsCounted()).toBe(1);
    // Another request is another run.
    const other = await call(stack, "POST", "/workflows/run", { body: { specification: sleeper(2_999), inputs: {} } });
    expect([other.status, other.body.error.details.repeated]).toEqual([504, false]);
    expect(runsCounted()).toBe(2);
  });

  it("is not retried by the SDK", async () => {
    const { client, runs } = countingClient();
    const before = runsCounted();
    const error = await client.runWorkflow({ specification: sleeper(2_998) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CvflowError);
    expect([(error as CvflowError).code, (error as CvflowError).details["retryable"]]).toEqual(["deadline_exceeded", false]);
    expect(runs()).toBe(1);
    expect(runsCounted()).toBe(before + 1);
  });
});

describe("an overrun spent on a cold start", () => {
  // The cold start takes 1.5 s, past the 1 s deadline; a retry after the 504 and its 1 s Retry-After finds it done.
  const coldStart = (key: string) => ({
    version: "1.0",
    inputs: [],
    steps: [{ type: "test/cold_start@v1", name: "load", key, ms: 1_500 }],
    outputs: [{ type: "JsonField", name: "key", selector: "$steps.load.key" }],
  });

  it("has Retry-After: 1 and details.retryable, and is run again when retried", async () => {
    const body = { specification: coldStart("raw"), inputs: {} };
    const first = await call(stack, "POST", "/workflows/run", { body });
    expect(first.status).toBe(504);
    expect(first.headers.get("retry-after")).toBe("1");
    expect(first.body.error.details).toMatchObject({ running_steps: ["load"], retryable: true });
    expect(first.body.error.details.transient_wait_ms).toBeGreaterThanOrEqual(0.25 * DEADLINE_MS);
    await new Promise((resolve) => setTimeout(resolve, 1_000 * Number(first.headers.get("retry-after"))));
    const retried = await call(stack, "POST", "/workflows/run", { body });
    expect([retried.status, retried.body.outputs]).toEqual([200, [{ key: "raw" }]]);
  });

  it("is retried by the SDK after Retry-After, which then answers the outputs", async () => {
    const { client, runs } = countingClient();
    const result = await client.runWorkflow({ specification: coldStart("sdk") });
    expect(result.outputs).toEqual([{ key: "sdk" }]);
    expect(runs()).toBe(2);
  });
});
