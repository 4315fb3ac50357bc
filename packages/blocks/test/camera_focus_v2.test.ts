/**
 * Camera Focus v2 (Tenengrad) on the shared photos. The reference numbers were made once with
 * python3-opencv 4.6 and numpy 1.24 running Roboflow's visualize_tenengrad_measure (camera_focus/v2.py
 * at the catalogue's commit) on the same PNGs read by cv2.imread, thresholds as its block makes
 * them (int(percent * 255 / 100)); digests are of the output's bytes in RGB order
 * (cv2.cvtColor(out, COLOR_BGR2RGB)). The images compare byte for byte, panel text included.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BlockRegistry, Detections, WorkflowEngine, type Block } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { cameraFocusV2Block } from "../src/classical_cv/camera_focus.js";
import { toPixels, withMats } from "../src/classical_cv/opencv.js";
import { runBlock } from "./detections-fixture.js";
import { photo, synthetic } from "./image-fixtures.js";

const skip = missing("camera_focus@v2 on chelsea.png and coffee.png", { photos: ["chelsea.png", "coffee.png"] });

const digest = (image: WorkflowImage): string => createHash("sha256").update(image.pixels.data).digest("hex").slice(0, 16);

/** Boxes inside, inside, half outside, and (for chelsea.png, 451 wide) wholly outside. */
function fourBoxes(image: WorkflowImage): Detections {
  const xyxy = [10, 10, 100, 100, 150, 150, 300, 300, -50, -50, 50, 50, 500, 10, 600, 50];
  return new Detections({ image: { width: image.width, height: image.height }, xyxy, confidence: [1, 1, 1, 1], classId: [0, 0, 0, 0], className: ["a", "a", "a", "a"] });
}

describe.skipIf(skip)("camera_focus@v2 on real photos", () => {
  it("the image's and each box's float32 mean, and every overlay (defaults) byte-equal to the reference's", async () => {
    const expected = {
      "chelsea.png": { focus: 4419.0048828125, boxes: [2828.38623046875, 4745.47900390625, 968.9896240234375, null], digest: "16bf10cbd1500c00" },
      "coffee.png": { focus: 9706.3828125, boxes: [2940.813232421875, 9318.3984375, 30.70639991760254, 1317.24951171875], digest: "7302d1ad843bcd6a" },
    };
    for (const [name, want] of Object.entries(expected)) {
      const image = await photo(name);
      const out = await runBlock(cameraFocusV2Block, { image, detections: fourBoxes(image) });
      expect(out["focus_measure"]).toBe(want.focus);
      expect(out["bbox_focus_measures"]).toEqual(want.boxes);
      const drawn = out["image"] as WorkflowImage;
      expect([drawn.width, drawn.height, drawn.channels]).toEqual([image.width, image.height, 3]);
      expect(digest(drawn)).toBe(want.digest);
    }
  });

  it("a gray input is drawn on as RGB, at 1.25x scale (902 x 900: thicker text and lines), 5x5 grid, zebra at 20 % / 80 %", async () => {
    // chelsea.png's gray (OpenCV's) tiled 2 across, 3 down: np.tile(gray, (3, 2)).
    const cat = await photo("chelsea.png");
    const gray = await withMats((_cv, scope) => toPixels(scope.gray(cat.pixels)));
    const tiled = synthetic(902, 900, 1, (x, y) => gray.data[(y % 300) * 451 + (x % 451)]!);
    const out = await runBlock(cameraFocusV2Block, { image: tiled, grid_overlay: "5x5", underexposed_threshold_percent: 20, overexposed_threshold_percent: 80 });
    expect(out["focus_measure"]).toBe(4793.00537109375);
    expect(out["bbox_focus_measures"]).toEqual([]);
    const drawn = out["image"] as WorkflowImage;
    expect(drawn.channels).toBe(3);
    expect(digest(drawn)).toBe("97bb6a37387be08f");
  });
});

describe("camera_focus@v2 on made images", () => {
  it("measures gx² + gy² of the 3x3 Sobel: a vertical 0 -> 100 step gives 400² on the two columns beside it", async () => {
    // 6 x 4, columns 0-2 at 0 and 3-5 at 100: gx = 4 * 100 on columns 2 and 3, gy = 0; mean = 160000 * 8 / 24.
    const step = synthetic(6, 4, 1, (x) => (x >= 3 ? 100 : 0));
    const boxes = new Detections({ image: { width: 6, height: 4 }, xyxy: [2, 0, 4, 4, 0, 0, 2, 4, 4.9, 0.5, 3, 2], confidence: [1, 1, 1], classId: [0, 0, 0], className: ["a", "a", "a"] });
    const out = await runBlock(cameraFocusV2Block, { image: step, detections: boxes, show_zebra_warnings: false, grid_overlay: "None", show_hud: false, show_focus_peaking: false, show_center_marker: false });
    expect(out["focus_measure"]).toBe(Math.fround(160000 / 3));
    // A box with nothing inside once truncated (x 4 .. 3) measures null.
    expect(out["bbox_focus_measures"]).toEqual([160000, 0, null]);
    // No overlay: the input image itself.
    expect(out["image"]).toBe(step);
  });
});

describe("camera_focus@v2 in a workflow", () => {
  const definition = (showHud: unknown) => ({
    version: "1.0",
    inputs: [{ type: "WorkflowImage", name: "image" }],
    steps: [{ type: "roboflow_core/camera_focus@v2", name: "focus", images: "$inputs.image", show_hud: showHud, grid_overlay: "None" }],
    outputs: [
      { type: "JsonField", name: "focus", selector: "$steps.focus.focus_measure" },
      { type: "JsonField", name: "boxes", selector: "$steps.focus.bbox_focus_measures" },
    ],
  });
  const engine = new WorkflowEngine({ registry: new BlockRegistry([cameraFocusV2Block] as Block[]) });

  it("runs under its `images` alias; its settings are literals only, as Roboflow declares them", async () => {
    const image = synthetic(6, 4, 1, (x) => (x >= 3 ? 100 : 0));
    const out = (await engine.run(definition(false), { image }, { serialize: false })).outputs[0]!;
    expect(out).toEqual({ focus: Math.fround(160000 / 3), boxes: [] });
    await expect(engine.run(definition("$inputs.image"), { image }, { serialize: false })).rejects.toThrow(/show_hud/);
  });
});
