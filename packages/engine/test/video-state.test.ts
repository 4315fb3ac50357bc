import { describe, expect, it } from "vitest";
import { MemoryVideoState } from "../src/video-state.js";

describe("MemoryVideoState", () => {
  it("keeps one state per step and video, made once", () => {
    const store = new MemoryVideoState();
    let made = 0;
    const init = () => ({ count: ++made });
    const a = store.get<{ count: number }>("tracker", "cam-1", init);
    a.count += 10;
    expect(store.get("tracker", "cam-1", init)).toBe(a);
    expect(store.get<{ count: number }>("tracker", "cam-2", init).count).toBe(2);
    expect(store.get<{ count: number }>("counter", "cam-1", init).count).toBe(3);
    expect(made).toBe(3);
  });

  it("goes through JSON and back unchanged", () => {
    const store = new MemoryVideoState();
    store.get("tracker", "cam-1", () => ({ tracks: [{ id: 1, box: [1, 2, 3, 4] }], next: 2 }));
    const copy = MemoryVideoState.fromJSON(JSON.parse(JSON.stringify(store)));
    expect(copy.get("tracker", "cam-1", () => ({ tracks: [], next: 0 }))).toEqual({ tracks: [{ id: 1, box: [1, 2, 3, 4] }], next: 2 });
    expect(copy.toJSON()).toEqual(store.toJSON());
  });
});
