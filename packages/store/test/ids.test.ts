import { describe, expect, it } from "vitest";
import { SORTABLE_ID, sortableId } from "../src/ids.js";

describe("sortableId", () => {
  it("sorts in the order one process made them, within one millisecond too", () => {
    const now = Date.now() + 60_000;
    const ids = Array.from({ length: 1000 }, () => sortableId(now));
    expect(new Set(ids).size).toBe(1000);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(SORTABLE_ID);
  });

  it("never goes back when the clock does", () => {
    const ahead = sortableId(Date.now() + 120_000);
    expect(sortableId(Date.now()) > ahead).toBe(true);
  });
});
