/**
 * LocalDurableRunner: the durable-execution SDK's local runner behind cvflow's DurableRunner —
 * a start per execution name, callbacks found among the executions that wait, stop, failures
 * logged (never thrown), and the process's checkpoint server shared by runners (stacks) that
 * come and go.
 */
import { withDurableExecution, type DurableContext } from "@aws/durable-execution-sdk-js";
import type { DurableRunPayload } from "@cvflow/runs";
import { afterAll, describe, expect, it } from "vitest";
import { LocalDurableRunner } from "../src/local-durable-runner.js";

/** What each execution did: the runs of its first step, its callback id, how its wait ended. */
const firstSteps: string[] = [];
const callbacks = new Map<string, string>();
const ended = new Map<string, PromiseWithResolvers<unknown>>();

function endOf(runId: string): Promise<unknown> {
  if (!ended.has(runId)) ended.set(runId, Promise.withResolvers());
  return ended.get(runId)!.promise;
}

const handler = withDurableExecution(async (payload: DurableRunPayload, ctx: DurableContext) => {
  await ctx.step("first", async () => void firstSteps.push(payload.runId));
  if (payload.runId.startsWith("boom")) throw new Error("the handler failed");
  let outcome: unknown;
  try {
    outcome = { answer: await ctx.waitForCallback("input", async (callbackId) => void callbacks.set(payload.runId, callbackId)) };
  } catch (error) {
    outcome = { failed: (error as Error).constructor.name };
  }
  endOf(payload.runId);
  ended.get(payload.runId)!.resolve(outcome);
  return outcome;
});

const logged: string[] = [];
const runners: LocalDurableRunner[] = [];

async function runner(): Promise<LocalDurableRunner> {
  const made = await LocalDurableRunner.create({ handler, log: (message) => logged.push(message) });
  runners.push(made);
  return made;
}

async function callbackOf(runId: string): Promise<string> {
  while (!callbacks.has(runId)) await new Promise((resolve) => setTimeout(resolve, 5));
  return callbacks.get(runId)!;
}

afterAll(async () => {
  for (const made of runners) await made.close();
});

describe("LocalDurableRunner", () => {
  it("completes the callback of the execution that waits on it, among several, with the JSON of the result", async () => {
    const local = await runner();
    await local.start("run-a", { runId: "run-a", attempt: 1 });
    await local.start("run-b", { runId: "run-b", attempt: 1 });
    await local.sendCallback(await callbackOf("run-b"), { ok: true });
    expect(await endOf("run-b")).toEqual({ answer: JSON.stringify({ ok: true }) });
    await local.sendCallback(await callbackOf("run-a"), [1, 2]);
    expect(await endOf("run-a")).toEqual({ answer: "[1,2]" });
  });

  it("starts an execution once per name, as Lambda does with an execution name", async () => {
    const local = await runner();
    await local.start("run-c", { runId: "run-c", attempt: 1 });
    await local.start("run-c", { runId: "run-c", attempt: 1 });
    await local.sendCallback(await callbackOf("run-c"), 1);
    await endOf("run-c");
    await local.start("run-c", { runId: "run-c", attempt: 1 });
    expect(firstSteps.filter((id) => id === "run-c")).toEqual(["run-c"]);
  });

  it("stop fails the execution's wait", async () => {
    const local = await runner();
    await local.start("run-d", { runId: "run-d", attempt: 1 });
    await callbackOf("run-d");
    await local.stop("run-d");
    expect(await endOf("run-d")).toEqual({ failed: "CallbackExternalError" });
  });

  it("logs an execution that fails, and the stack goes on", async () => {
    const local = await runner();
    logged.length = 0;
    await local.start("boom-1", { runId: "boom-1", attempt: 1 });
    while (logged.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(logged).toEqual([expect.stringMatching(/^cvflow local durable runner: execution boom-1 ended FAILED: .*the handler failed/)]);
    await local.start("run-e", { runId: "run-e", attempt: 1 });
    await local.sendCallback(await callbackOf("run-e"), null);
    expect(await endOf("run-e")).toEqual({ answer: "null" });
  });

  it("shares the process's checkpoint server: runners close and new ones start (a stack restarted in one process)", async () => {
    for (const made of runners.splice(0)) await made.close();
    const first = await runner();
    const second = await runner();
    await first.start("run-old", { runId: "run-old", attempt: 1 });
    const stale = await callbackOf("run-old");
    await first.close();
    // A callback of an execution of a runner gone (a stack before a restart): none of this runner's holds it.
    logged.length = 0;
    await second.sendCallback(stale, "late");
    expect(logged).toEqual([expect.stringMatching(/^cvflow local durable runner: no execution waits on callback /)]);
    await second.start("run-f", { runId: "run-f", attempt: 1 });
    await second.sendCallback(await callbackOf("run-f"), "f");
    expect(await endOf("run-f")).toEqual({ answer: '"f"' });
    await second.close();
    await expect(second.start("run-x", { runId: "run-x", attempt: 1 })).rejects.toThrow(/closed/);

    const third = await runner();
    await third.start("run-g", { runId: "run-g", attempt: 1 });
    await third.sendCallback(await callbackOf("run-g"), "g");
    expect(await endOf("run-g")).toEqual({ answer: '"g"' });
  });
});
