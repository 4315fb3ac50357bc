/**
 * Matching by similarity (IoU and the like) rather than by cost, for the trackers of Roboflow's
 * `trackers` library, which call scipy's linear_sum_assignment with maximize=True on the whole
 * matrix and then drop the pairs their gate refuses (the gate may test another matrix than the one
 * optimised, as OC-SORT's does).
 */
import { assign } from "./assignment.js";

/** The best one-to-one matching of rows to columns by total similarity, keeping the pairs `keep` accepts. */
export function matchBySimilarity(similarity: readonly (readonly number[])[], columns: number, keep: (row: number, column: number) => boolean): {
  matches: [number, number][];
  unmatchedRows: number[];
  unmatchedColumns: number[];
} {
  const all = assign(
    similarity.map((row) => row.map((v) => -v)),
    columns,
    Infinity,
  ).matches;
  const matches = all.filter(([r, c]) => keep(r, c));
  const rows = new Set(matches.map(([r]) => r));
  const cols = new Set(matches.map(([, c]) => c));
  return {
    matches,
    unmatchedRows: [...Array(similarity.length).keys()].filter((r) => !rows.has(r)),
    unmatchedColumns: [...Array(columns).keys()].filter((c) => !cols.has(c)),
  };
}

