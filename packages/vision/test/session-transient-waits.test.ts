/**
 * Waiting for a model session that is being created is a transient wait (@cvflow/engine's
 * transient-waits.ts): a retry finds the session made. Leasing a session already made is not.
 */
import { join } from "node:path";
import { watchTransientWaits } from "@cvflow/engine";
import { afterEach, describe, expect, it } from "vitest";
import { SessionPool } from "../src/models/sessions.js";
import { missing, MODELS_DIR } from "./test-assets.js";

const events: string[] = [];
let stop = (): void => {};
afterEach(() => {
  stop();
  events.length = 0;
});

describe.skipIf(missing("session creation as a transient wait", { models: ["mobilenetv2-imagenet"] }))("session creation as a transient wait", () => {
  it("is traced for the leases that wait on it, not for those that find the session made", async () => {
    stop = watchTransientWaits({ start: ({ kind }) => events.push(`start ${kind}`), end: ({ kind }) => events.push(`end ${kind}`) });
    const pool = new SessionPool();
    const path = join(MODELS_DIR, "mobilenetv2-12-int8.onnx");
    // Two leases while the session is being created share its creation, and both wait on it.
    const [first, second] = await Promise.all([pool.lease(path), pool.lease(path)]);
    expect(events).toEqual(["start model_session", "start model_session", "end model_session", "end model_session"]);
    const third = await pool.lease(path);
    expect(events).toHaveLength(4);
    expect(pool.stats.created).toBe(1);
    for (const lease of [first, second, third]) lease.release();
  });
});
