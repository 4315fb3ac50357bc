/**
 * A sink's cooldown, as Roboflow keeps it in the block instance: the step's last send time, so a
 * step that ran less than `cooldown_seconds` ago sends nothing and reports `throttling_status`.
 * Roboflow's instance lives as long as a video in a pipeline and one request behind HTTP; here the
 * time is kept in the run's video state (ALL_VIDEOS: one per step), which a video pipeline shares
 * across its frames and every other run makes fresh — the same reach. Wall-clock time, as theirs.
 */
import type { BlockContext } from "@cvflow/engine";
import { ALL_VIDEOS, stepState } from "../video/step-state.js";

interface CooldownState {
  /** Epoch milliseconds of the step's last send; null before the first. */
  lastSentAt: number | null;
}

/**
 * true: the step may send now, and now is recorded as its last send (before sending, as Roboflow
 * does: a send that fails still starts the cooldown). false: within `seconds` of the last send.
 */
export function cooldownAllows(ctx: BlockContext, seconds: number): boolean {
  const state = stepState<CooldownState>(ctx, ALL_VIDEOS, () => ({ lastSentAt: null }));
  const now = Date.now();
  if (state.lastSentAt !== null && (now - state.lastSentAt) / 1000 < seconds) return false;
  state.lastSentAt = now;
  return true;
}
