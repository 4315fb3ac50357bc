/**
 * Mask Edge Snap against Roboflow's refine_masks (mask_edge_snap/v1.py at the catalogue's commit),
 * run once with python3-opencv 4.6 and numpy 1.24 on the same pixels (coffee.png read by
 * cv2.imread; the masks made by the same rules in numpy); the numbers below are what it gave.
 * Masks are compared whole-image: sha256 of their 0/1 bytes (first 16 hex digits) and set pixels.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Detections, TRACKER_ID_KEY, type BitMask } from "@cvflow/engine";
import { missing } from "@cvflow/vision/test-assets";
import { maskEdgeSnapBlock } from "../src/classical_cv/mask_edge_snap.js";
import { runBlock } from "./detections-fixture.js";
import { photo, synthetic } from "./image-fixtures.js";

const skip = missing("mask_edge_snap@v1 on coffee.png", { photos: ["coffee.png"] });

/** The mask at the image's size, as sha256 prefix and set-pixel count. */
function fingerprint(mask: BitMask | null | undefined): [string, number] {
  const m = mask!;
  const whole = new Uint8Array(m.width * m.height);
  for (let r = 0; r < m.rows; r++) whole.set(m.data.subarray(r * m.columns, (r + 1) * m.columns), (m.top + r) * m.width + m.left);
  return [createHash("sha256").update(whole).digest("hex").slice(0, 16), whole.reduce((s, v) => s + v, 0)];
}

function maskOf(width: number, height: number, inside: (x: number, y: number) => boolean): BitMask {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = inside(x, y) ? 1 : 0;
  return { width, height, left: 0, top: 0, columns: width, rows: height, data };
}

describe.skipIf(skip)("mask_edge_snap@v1 on coffee.png", () => {
  // A rough ellipse over the coffee's surface and a box around the spoon's bowl.
  const segmentation = (): Detections =>
    new Detections({
      image: { width: 600, height: 400 },
      xyxy: [207, 97, 367, 193, 325, 240, 405, 325],
      confidence: [0.9, 0.8],
      classId: [0, 1],
      className: ["crema", "spoon"],
      masks: [maskOf(600, 400, (x, y) => ((x - 287) / 80) ** 2 + ((y - 145) / 48) ** 2 <= 1), maskOf(600, 400, (x, y) => x >= 325 && x < 405 && y >= 240 && y < 325)],
      data: { [TRACKER_ID_KEY]: [7, 8] },
    });

  it("snaps both masks and keeps the same edges as the reference, with defaults and two other settings", async () => {
    const image = await photo("coffee.png");
    const cases = [
      { params: {}, crema: ["0528a2a364db86e4", 12041], spoon: ["4feb66241f4d7b43", 5740], edgesBox: [321, 225, 413, 326], edges: ["4ada10387131d8c4", 872] },
      {
        params: { pixel_tolerance: 5, sigma: 0.3, min_contour_area: 10, dilation_iterations: 1, boundary_band_width: 10, adaptive_window_size: 21 },
        crema: ["849986d9f77c8679", 12506],
        spoon: ["3ffe9537c90511d4", 6581],
        edgesBox: [198, 94, 415, 326],
        edges: ["ab95bcc5b4025af6", 1340],
      },
      // No closing, hence no thinning.
      { params: { dilation_iterations: 0 }, crema: ["8df574c94f5097f4", 13055], spoon: ["84d860ca3d23fa95", 5950], edgesBox: [195, 94, 408, 327], edges: ["480ac912b98b6e4c", 1902] },
    ];
    for (const { params, crema, spoon, edgesBox, edges } of cases) {
      const input = segmentation();
      const out = await runBlock(maskEdgeSnapBlock, { image, segmentation: input, ...params });
      const refined = out["refined_segmentation"] as Detections;
      expect([fingerprint(refined.masks?.[0]), fingerprint(refined.masks?.[1])]).toEqual([crema, spoon]);
      const found = out["edges"] as Detections;
      expect([found.length, found.className[0], found.confidence[0], found.box(0)]).toEqual([1, "edges", 1, edgesBox]);
      expect(fingerprint(found.masks?.[0])).toEqual(edges);
      // Boxes, scores, classes, ids and tracker ids as they came; the polygon follows the new mask.
      expect(Array.from(refined.xyxy)).toEqual(Array.from(input.xyxy));
      expect([Array.from(refined.confidence), refined.className, refined.detectionId, refined.data[TRACKER_ID_KEY]]).toEqual([[0.9, 0.8], ["crema", "spoon"], input.detectionId, [7, 8]]);
      expect((refined.data["points"]?.[0] as unknown[]).length).toBeGreaterThan(3);
    }
  });

  it("no detections: the segmentation passes through and the edges are the whole image's", async () => {
    const image = await photo("coffee.png");
    const empty = Detections.empty({ width: 600, height: 400 });
    const out = await runBlock(maskEdgeSnapBlock, { image, segmentation: empty });
    expect(out["refined_segmentation"]).toBe(empty);
    const found = out["edges"] as Detections;
    expect(found.box(0)).toEqual([0, 0, 600, 400]);
    expect(fingerprint(found.masks?.[0])).toEqual(["e6e4cb3d33e90085", 27095]);
  });
});

describe("mask_edge_snap@v1 on a made image", () => {
  it("moves a mask 4 pixels off a dark rectangle onto its edges (IoU 0.678 -> 0.958, as the reference)", async () => {
    // 120 x 100 at 200 with [40, 90) x [34, 74) at 40; the mask is [36, 84) x [30, 70).
    const image = synthetic(120, 100, 1, (x, y) => (x >= 40 && x < 90 && y >= 34 && y < 74 ? 40 : 200));
    const mask = maskOf(120, 100, (x, y) => x >= 36 && x < 84 && y >= 30 && y < 70);
    const segmentation = new Detections({ image: { width: 120, height: 100 }, xyxy: [36, 30, 84, 70], confidence: [0.9], classId: [0], className: ["box"], masks: [mask] });
    const out = await runBlock(maskEdgeSnapBlock, { image, segmentation });
    const refined = (out["refined_segmentation"] as Detections).masks![0]!;
    expect(fingerprint(refined)).toEqual(["18c5a6a71e45514f", 2083]);
    const inRectangle = (m: BitMask) => {
      let both = 0;
      for (let r = 0; r < m.rows; r++) for (let c = 0; c < m.columns; c++) if (m.data[r * m.columns + c] && m.left + c >= 40 && m.left + c < 90 && m.top + r >= 34 && m.top + r < 74) both++;
      return both;
    };
    const iou = (m: BitMask) => inRectangle(m) / (fingerprint(m)[1] + 50 * 40 - inRectangle(m));
    expect(iou(mask)).toBeCloseTo(0.678082191780822, 12);
    expect(iou(refined)).toBeCloseTo(0.958273381294964, 12);
    const found = out["edges"] as Detections;
    expect([found.box(0), fingerprint(found.masks?.[0])[1]]).toEqual([[39, 33, 90, 74], 180]);
  });
});
