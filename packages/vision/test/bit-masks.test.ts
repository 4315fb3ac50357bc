/**
 * Masks stored for their window: reading them, moving them (shared bytes when nothing is cut, a
 * charged copy of what is kept when something is), union and intersection over the windows only,
 * and every allocation charged to the run at a third of its bytes.
 */
import { describe, expect, it } from "vitest";
import type { BitMask } from "@cvflow/engine";
import { combineMasks, emptyMask, maskAt, maskExtent, moveMask, overlapArea, RunImageBudget, withRunImageBudget } from "../src/index.js";

const IMAGE = { width: 100, height: 80 };

/** A mask on IMAGE with the pixels [left, right) x [top, bottom) set, stored for them only. */
function rect(left: number, top: number, right: number, bottom: number): BitMask {
  const columns = right - left;
  const rows = bottom - top;
  return { ...IMAGE, left, top, columns, rows, data: new Uint8Array(columns * rows).fill(1) };
}

/** Every set pixel of the image, as "x,y". */
function setPixels(mask: BitMask): string[] {
  const out: string[] = [];
  for (let y = 0; y < mask.height; y++) for (let x = 0; x < mask.width; x++) if (maskAt(mask, x, y)) out.push(`${x},${y}`);
  return out;
}

async function charged<T>(run: () => T): Promise<[T, number]> {
  const budget = new RunImageBudget();
  const value = await withRunImageBudget(budget, async () => run());
  return [value, budget.used];
}

describe("bit masks", () => {
  it("an empty mask holds its window (cut to the image), charged a third of it; an empty window costs nothing", async () => {
    const [mask, used] = await charged(() => emptyMask(IMAGE, { left: 90, top: -5, right: 130, bottom: 10 }));
    expect(mask).toMatchObject({ width: 100, height: 80, left: 90, top: 0, columns: 10, rows: 10 });
    expect([mask.data.byteLength, used]).toEqual([100, 34]);
    const [none, nothing] = await charged(() => emptyMask(IMAGE, { left: 0, top: 0, right: 0, bottom: 0 }));
    expect([none.data.byteLength, nothing, maskAt(none, 0, 0)]).toEqual([0, 0, false]);
  });

  it("moves a mask onto a larger image sharing its bytes, and copies (and charges) only what a smaller one keeps", async () => {
    const mask = rect(10, 20, 30, 25);
    const [moved, free] = await charged(() => moveMask(mask, 400, 300, { width: 1000, height: 600 }));
    expect([moved.data, free]).toEqual([mask.data, 0]);
    expect(moved).toMatchObject({ width: 1000, height: 600, left: 410, top: 320, columns: 20, rows: 5 });
    // Onto the crop (15, 22)-(40, 60): 15 columns and 3 rows are kept.
    const [cut, used] = await charged(() => moveMask(mask, -15, -22, { width: 25, height: 38 }));
    expect(cut).toMatchObject({ width: 25, height: 38, left: 0, top: 0, columns: 15, rows: 3 });
    expect([cut.data.byteLength, used]).toEqual([45, 15]);
    expect(setPixels(cut)).toEqual(setPixels(mask).map((p) => p.split(",").map(Number)).filter(([x, y]) => x! >= 15 && y! >= 22).map(([x, y]) => `${x! - 15},${y! - 22}`));
  });

  it("unites over the windows' span and intersects over their overlap, the same pixels as over the whole image", async () => {
    const a = rect(10, 10, 30, 20);
    const b = rect(25, 15, 40, 30);
    const [union, unionCharge] = await charged(() => combineMasks([a, b], "union"));
    expect(union).toMatchObject({ left: 10, top: 10, columns: 30, rows: 20 });
    expect(unionCharge).toBe(200);
    expect(setPixels(union)).toEqual([...new Set([...setPixels(a), ...setPixels(b)])].sort(byRowThenColumn));
    const [both] = await charged(() => combineMasks([a, b], "intersection"));
    expect(both).toMatchObject({ left: 25, top: 15, columns: 5, rows: 5 });
    expect(setPixels(both)).toEqual(setPixels(a).filter((p) => setPixels(b).includes(p)));
    expect(overlapArea(a, b)).toBe(25);
    expect(maskExtent(union)).toEqual({ left: 10, top: 10, right: 40, bottom: 30, area: 200 + 225 - 25 });
    // With a mask of an empty window, a union is the other's pixels, an intersection empty.
    const empty = emptyMask(IMAGE, { left: 0, top: 0, right: 0, bottom: 0 });
    expect(setPixels(combineMasks([empty, a], "union"))).toEqual(setPixels(a));
    expect(combineMasks([a, empty], "intersection").data.byteLength).toBe(0);
    expect(maskExtent(empty)).toEqual({ left: 100, top: 80, right: 0, bottom: 0, area: 0 });
  });
});

function byRowThenColumn(p: string, q: string): number {
  const [px, py] = p.split(",").map(Number) as [number, number];
  const [qx, qy] = q.split(",").map(Number) as [number, number];
  return py - qy || px - qx;
}
