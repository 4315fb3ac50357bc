import { randomBytes } from "node:crypto";

/** Matches every id `sortableId` makes (and nothing that could step out of a key). */
export const SORTABLE_ID = /^[0-9a-z]{25}$/;

/**
 * A unique id that sorts by creation time: 9 base-36 digits of milliseconds (enough until the
 * year 5188), then 16 random hex digits, so ids made in the same millisecond never collide.
 */
export function sortableId(now = Date.now()): string {
  return now.toString(36).padStart(9, "0") + randomBytes(8).toString("hex");
}
