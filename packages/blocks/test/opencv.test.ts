import { describe, expect, it } from "vitest";
import { opencv, toPixels, withMats, type Mat } from "../src/classical_cv/opencv.js";

describe("opencv loader", () => {
  it("loads once, is no thenable, and leaves the process's error listeners as they were", async () => {
    const listeners = [process.listenerCount("unhandledRejection"), process.listenerCount("uncaughtException")];
    const [first, second] = await Promise.all([opencv(), opencv()]);
    expect(first).toBe(second);
    expect(first).toBe(await opencv());
    expect("then" in first).toBe(false);
    expect([process.listenerCount("unhandledRejection"), process.listenerCount("uncaughtException")]).toEqual(listeners);
  });

  it("copies pixels in and out (RGB kept in order) and deletes every tracked Mat, also when the function throws", async () => {
    let kept: Mat[] = [];
    const pixels = { data: Uint8Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90]), width: 3, height: 1, channels: 3 as const };
    const out = await withMats((cv, scope) => {
      const rgb = scope.fromPixels(pixels);
      const gray = scope.mat();
      cv.cvtColor(rgb, gray, cv.COLOR_RGB2GRAY);
      const roi = scope.track(rgb.roi(new cv.Rect(1, 0, 2, 1)));
      kept = [rgb, gray, roi];
      return { whole: toPixels(rgb), gray: toPixels(gray), roi: toPixels(roi) };
    });
    expect(kept.map((mat) => mat.isDeleted())).toEqual([true, true, true]);
    expect(Array.from(out.whole.data)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
    // 0.299 R + 0.587 G + 0.114 B, rounded: 18.2 -> 18, 48.2 -> 48, 78.2 -> 78.
    expect(Array.from(out.gray.data)).toEqual([18, 48, 78]);
    expect(out.roi).toEqual({ data: Uint8Array.from([40, 50, 60, 70, 80, 90]), width: 2, height: 1, channels: 3 });

    // A region of several rows is not contiguous on the heap: its copy has exactly its pixels, and the
    // image it was cut from is left as it was.
    const grid = { data: Uint8Array.from({ length: 16 }, (_, i) => i), width: 4, height: 4, channels: 1 as const };
    const region = await withMats((cv, scope) => {
      const mat = scope.fromPixels(grid);
      const roi = scope.track(mat.roi(new cv.Rect(1, 1, 2, 2)));
      return { roi: toPixels(roi), after: toPixels(mat) };
    });
    expect(Array.from(region.roi.data)).toEqual([5, 6, 9, 10]);
    expect(region.after.data).toEqual(grid.data);

    let thrown: Mat | undefined;
    await expect(
      withMats((_cv, scope) => {
        thrown = scope.mat();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(thrown!.isDeleted()).toBe(true);
  });
});
