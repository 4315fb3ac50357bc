/**
 * Runtime data is nested by level: level 0 is the value itself, level k an array of level k-1
 * data. An element that was not produced — flow control skipped it, or something it needs was
 * skipped — is SKIP (it becomes `null` in outputs); an element that produced no children is [].
 */

export const SKIP: unique symbol = Symbol("skipped");
export type Skip = typeof SKIP;

/** The data at the first `depth` positions of `index`; SKIP where a level on the way was skipped. */
export function dataAt(data: unknown, index: readonly number[], depth: number): unknown {
  let node = data;
  for (let d = 0; d < depth; d++) {
    if (node === SKIP) return SKIP;
    node = (node as readonly unknown[])[index[d]!];
    if (node === undefined) return SKIP;
  }
  return node;
}

/** Maps the leaves (level 0) of data nested `levels` deep; skipped branches stay SKIP. */
export function mapLeaves(data: unknown, levels: number, fn: (leaf: unknown, index: number[]) => unknown, index: number[] = []): unknown {
  if (levels === 0) return fn(data, index);
  if (data === SKIP) return SKIP;
  return (data as readonly unknown[]).map((child, i) => mapLeaves(child, levels - 1, fn, [...index, i]));
}
