/**
 * A run that outlives the 20 s deadline answers 504 at about 20 s — even when the block ignores
 * the signal — and the process goes on serving the next request.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { call, testStack } from "./local-stack.js";

let stack: LocalStack;
beforeAll(async () => {
  stack = await testStack({ env: { CVFLOW_BLOCKS_MODULE: fileURLToPath(new URL("./fixtures/sleep-block.ts", import.meta.url)) } });
});
afterAll(() => stack?.close());

const sleeper = {
  version: "1.0",
  inputs: [],
  steps: [{ type: "test/sleep@v1", name: "nap", seconds: 30 }],
  outputs: [{ type: "JsonField", name: "slept", selector: "$steps.nap.slept" }],
};

it("answers 504 deadline_exceeded at about 20 s, then serves the next request", async () => {
  const started = performance.now();
  const slow = await call(stack, "POST", "/workflows/run", { body: { specification: sleeper, inputs: {} } });
  const seconds = (performance.now() - started) / 1000;
  expect(slow.status).toBe(504);
  expect(slow.body.error.code).toBe("deadline_exceeded");
  expect(slow.body.error.details).toMatchObject({ finished_steps: [], running_steps: ["nap"] });
  // At the 20 s deadline (the client started first), and well before the 30 s step could end.
  expect(seconds).toBeGreaterThan(18);
  expect(seconds).toBeLessThan(30);
  const next = await call(stack, "GET", "/health");
  expect(next.status).toBe(200);
  const quick = await call(stack, "POST", "/workflows/run", { body: { specification: { ...sleeper, steps: [{ type: "test/sleep@v1", name: "nap", seconds: 0 }] }, inputs: {} } });
  expect([quick.status, quick.body.outputs]).toEqual([200, [{ slept: 0 }]]);
}, 60_000);
