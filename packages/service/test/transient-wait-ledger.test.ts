/** The ledger counts the time covered by transient waits: overlapping waits once, open ones up to now. */
import { traceTransientWait } from "@cvflow/engine";
import { expect, it } from "vitest";
import { currentTransientWaitLedger, TransientWaitLedger, withTransientWaitLedger } from "../src/transient-wait-ledger.js";

it("counts overlapping waits once and an open wait up to now", () => {
  let now = 0;
  const ledger = new TransientWaitLedger(() => now);
  const a = ledger.open(); // 0..30
  now = 10;
  const b = ledger.open(); // 10..20, inside a
  now = 20;
  ledger.close(b);
  now = 30;
  ledger.close(a);
  now = 50;
  ledger.open(); // 50.., still open
  now = 65;
  expect(ledger.coveredMs()).toBe(30 + 15);
});

it("records the waits traced in the request's own async context, not another's", async () => {
  let now = 0;
  const mine = new TransientWaitLedger(() => now);
  const theirs = new TransientWaitLedger(() => now);
  let finish!: () => void;
  const waiting = withTransientWaitLedger(mine, async () => {
    expect(currentTransientWaitLedger()).toBe(mine);
    await traceTransientWait("model_session", () => new Promise<void>((resolve) => (finish = resolve)));
  });
  await withTransientWaitLedger(theirs, async () => {});
  now = 40;
  finish();
  await waiting;
  now = 100;
  expect([mine.coveredMs(), theirs.coveredMs()]).toEqual([40, 0]);
  // A failed wait ends too.
  await withTransientWaitLedger(theirs, () => traceTransientWait("store", () => Promise.reject(new Error("gone"))).catch(() => {}));
  now = 200;
  expect(theirs.coveredMs()).toBe(0);
});
