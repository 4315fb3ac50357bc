/**
 * Per request, the transient waits (@cvflow/engine's transient-waits.ts: model sessions being
 * created, store calls) it went through, so that its deadline guard can tell how much of its
 * time a retry would not spend again. The request's ledger travels in an AsyncLocalStorage store
 * (`withTransientWaitLedger`, around the whole handler); the channel's events are published in
 * the waiting code's own async context, where the store is found.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { watchTransientWaits, type TransientWaitContext } from "@cvflow/engine";

interface Interval {
  start: number;
  /** Undefined while the wait goes on. */
  end?: number;
}

export class TransientWaitLedger {
  private readonly intervals: Interval[] = [];

  constructor(private readonly now: () => number = () => performance.now()) {}

  open(): Interval {
    const interval: Interval = { start: this.now() };
    this.intervals.push(interval);
    return interval;
  }

  close(interval: Interval): void {
    interval.end ??= this.now();
  }

  /** Milliseconds covered by at least one wait so far (waits side by side count once), open ones up to now. */
  coveredMs(): number {
    const now = this.now();
    const spans = this.intervals.map((i) => [i.start, i.end ?? now] as const).sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let reach = Number.NEGATIVE_INFINITY;
    for (const [start, end] of spans) {
      if (end <= reach) continue;
      covered += end - Math.max(start, reach);
      reach = end;
    }
    return covered;
  }
}

const ledgers = new AsyncLocalStorage<TransientWaitLedger>();
const openWaits = new WeakMap<TransientWaitContext, { ledger: TransientWaitLedger; interval: Interval }>();
let subscribed = false;

/** Runs `work` with a ledger of its own; its transient waits are recorded there. */
export function withTransientWaitLedger<T>(ledger: TransientWaitLedger, work: () => Promise<T>): Promise<T> {
  subscribe();
  return ledgers.run(ledger, work);
}

/** The ledger of the request running here, if any. */
export function currentTransientWaitLedger(): TransientWaitLedger | undefined {
  return ledgers.getStore();
}

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  watchTransientWaits({
    start: (context) => {
      const ledger = ledgers.getStore();
      if (ledger) openWaits.set(context, { ledger, interval: ledger.open() });
    },
    end: (context) => {
      const open = openWaits.get(context);
      if (!open) return;
      openWaits.delete(context);
      open.ledger.close(open.interval);
    },
  });
}
