/**
 * The local server's collection once idle: when it collects (idle for the delay, memory grown),
 * that the gateway tells it of every request, and that the collector it uses frees garbage
 * without putting gc() in the process's reach.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { startGateway, type LambdaHttpHandler } from "../src/index.js";
import { collectGarbage, IdleCollection } from "../src/idle-collection.js";

const MB = 1024 * 1024;

describe("IdleCollection", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A collection whose memory reading the test sets, on a fake clock. */
  function controlled(options: { delayMs?: number; minGrowthBytes?: number } = {}) {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const memory = { bytes: 100 * MB };
    const collect = vi.fn(() => {
      memory.bytes = 100 * MB;
    });
    const idle = new IdleCollection({ collect, collectable: () => memory.bytes, delayMs: options.delayMs ?? 5000, minGrowthBytes: options.minGrowthBytes ?? 32 * MB });
    return { idle, memory, collect };
  }

  it("collects once the server has been idle for the delay after a request that grew its memory", () => {
    const { idle, memory, collect } = controlled();
    idle.started();
    memory.bytes += 500 * MB;
    idle.ended();
    vi.advanceTimersByTime(4999);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
    expect(idle.collections).toBe(1);
    // Idle from then on: no more collections.
    vi.advanceTimersByTime(60_000);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("waits for every request in flight, and a request arriving during the delay starts it again", () => {
    const { idle, memory, collect } = controlled();
    idle.started();
    idle.started();
    memory.bytes += 500 * MB;
    idle.ended();
    vi.advanceTimersByTime(60_000);
    expect(collect).not.toHaveBeenCalled();
    idle.ended();
    vi.advanceTimersByTime(3000);
    idle.started();
    vi.advanceTimersByTime(60_000);
    expect(collect).not.toHaveBeenCalled();
    idle.ended();
    vi.advanceTimersByTime(5000);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("leaves a small request's garbage to V8: growth under the minimum since the last collection", () => {
    const { idle, memory, collect } = controlled({ minGrowthBytes: 32 * MB });
    idle.started();
    memory.bytes += 32 * MB - 1;
    idle.ended();
    vi.advanceTimersByTime(5000);
    expect(collect).not.toHaveBeenCalled();
    // Growth adds up over requests until it is worth a collection.
    idle.started();
    memory.bytes += 1;
    idle.ended();
    vi.advanceTimersByTime(5000);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it("does not collect after stop()", () => {
    const { idle, memory, collect } = controlled();
    idle.started();
    memory.bytes += 500 * MB;
    idle.ended();
    idle.stop();
    vi.advanceTimersByTime(60_000);
    expect(collect).not.toHaveBeenCalled();
  });
});

describe("collectGarbage", () => {
  it("frees unreachable objects, without exposing gc() to the process", async () => {
    const exposedBefore = "gc" in globalThis;
    let garbage: Buffer[] | undefined = Array.from({ length: 8 }, () => Buffer.alloc(MB, 1));
    const ref = new WeakRef(garbage);
    garbage = undefined;
    // A WeakRef's target is kept until the end of the job that made or read it.
    await new Promise((done) => setImmediate(done));
    collectGarbage()();
    expect(ref.deref()).toBeUndefined();
    expect("gc" in globalThis).toBe(exposedBefore);
  });
});

describe("the gateway", () => {
  it("tells the idle collection of every request, answered or failed, once it has been answered", async () => {
    const events: string[] = [];
    let settled: () => void = () => {};
    const idle = {
      started: () => events.push("started"),
      ended: () => {
        events.push("ended");
        if (events.filter((e) => e === "ended").length === 2) settled();
      },
    };
    const done = new Promise<void>((resolve) => (settled = resolve));
    const handler: LambdaHttpHandler = async (event) => {
      if (event.rawPath === "/fails") throw new Error("boom");
      events.push("handled");
      return { statusCode: 204 };
    };
    const gateway = await startGateway({ port: 0, handler, idle });
    try {
      expect((await fetch(`${gateway.url}/ok`)).status).toBe(204);
      expect((await fetch(`${gateway.url}/fails`)).status).toBe(502);
      await done;
    } finally {
      await gateway.close();
    }
    expect(events).toEqual(["started", "handled", "ended", "started", "ended"]);
  });
});
