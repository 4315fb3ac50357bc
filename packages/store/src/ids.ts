import { randomBytes } from "node:crypto";

/** Matches every id `sortableId` makes (and nothing that could step out of a key). */
export const SORTABLE_ID = /^[0-9a-z]{25}$/;

/** The last millisecond an id was made for in this process, and how many were made in it. */
let lastMs = 0;
let sequence = 0;

/**
 * A unique id that sorts by creation time: 9 base-36 digits of milliseconds (enough until the
 * year 5188), 4 hex digits counting the ids this process made in that millisecond, then 12
 * random hex digits. So the ids one process makes sort in the order it made them, even within a
 * millisecond (the latest removal of a workflow is the one restored), and ids made elsewhere in
 * the same millisecond never collide.
 */
export function sortableId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xffff) {
    lastMs += 1;
    sequence = 0;
  }
  return lastMs.toString(36).padStart(9, "0") + sequence.toString(16).padStart(4, "0") + randomBytes(6).toString("hex");
}
