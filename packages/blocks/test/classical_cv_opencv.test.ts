/**
 * Camera focus, template matching, pixel colour count and dominant colour on the shared photos,
 * with numbers from python3-opencv 4.6 running the reference implementation's code on the same
 * PNGs (cv2.imread gives the same pixels as sharp for a PNG):
 * - focus: calculate_brenner_measure (its int16 differences, float64 mean, putText of the mean);
 * - template matching: cv2.matchTemplate(gray, gray_template, TM_CCOEFF_NORMED) >= threshold, then
 *   supervision's box_non_max_suppression at 0.5 (all confidences 1: the last match first);
 * - pixel count: cv2.countNonZero(cv2.inRange(bgr, target - tol, target + tol));
 * - dominant colour: find_dominant_color on img[::s, ::s], 20 numpy seeds, all giving one answer.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, type Block, type Detections } from "@cvflow/engine";
import { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { cameraFocusBlock } from "../src/classical_cv/camera_focus.js";
import { dominantColorBlock } from "../src/classical_cv/dominant_color.js";
import { pixelColorCountBlock } from "../src/classical_cv/pixel_color_count.js";
import { templateMatchingBlock } from "../src/classical_cv/template_matching.js";
import { morphologicalTransformationV2Block } from "../src/classical_cv/morphological_transformation.js";
import { absoluteStaticCropBlock } from "../src/transformations/absolute_static_crop.js";
import { runBlock } from "./detections-fixture.js";
import { photo, synthetic } from "./image-fixtures.js";

const PHOTOS = ["chelsea.png", "coffee.png"];
const skip = missing("classical CV on chelsea.png and coffee.png", { photos: PHOTOS });

/** The region [x1, x2) x [y1, y2) of an image, as an image of its own (a template). */
function cut(image: WorkflowImage, x1: number, y1: number, x2: number, y2: number): WorkflowImage {
  const { data, width, channels } = image.pixels;
  const out = new Uint8Array((x2 - x1) * (y2 - y1) * channels);
  for (let y = y1; y < y2; y++) out.set(data.subarray((y * width + x1) * channels, (y * width + x2) * channels), (y - y1) * (x2 - x1) * channels);
  return synthetic(x2 - x1, y2 - y1, channels, (x, y, c) => out[(y * (x2 - x1) + x) * channels + c]!, "template");
}

describe.skipIf(skip)("classical CV blocks on real photos", () => {
  it("camera_focus@v1: Brenner's mean and its image, text included, as the reference computes them", async () => {
    const cat = await photo("chelsea.png");
    const out = await runBlock(cameraFocusBlock, { image: cat });
    expect(out["focus_measure"]).toBeCloseTo(147.34354767184035, 9);
    const image = out["image"] as WorkflowImage;
    expect([image.channels, image.width, image.height]).toEqual([1, 451, 300]);
    expect([image.pixels.data.reduce((s, v) => s + v, 0), createHash("sha256").update(image.pixels.data).digest("hex").slice(0, 16)]).toEqual([700957, "6fb9a4106f2842f4"]);
  });

  it("template_matching@v1: coffee.png's own 80 x 60 patch — 132 positions at 0.8 (2 after NMS), 2218 at 0.6 (14)", async () => {
    const coffee = await photo("coffee.png");
    const template = cut(coffee, 250, 100, 330, 160);
    const run = async (matching_threshold: number, apply_nms: boolean) => {
      const out = await runBlock(templateMatchingBlock, { image: coffee, template, matching_threshold, apply_nms });
      const predictions = out["predictions"] as Detections;
      expect(out["number_of_matches"]).toBe(predictions.length);
      return predictions;
    };
    const raw = await run(0.8, false);
    expect(raw.length).toBe(132);
    expect(raw.box(0)).toEqual([239, 96, 319, 156]);
    expect(raw.className[0]).toBe("template_match");
    expect(raw.parentId[0]).toBe("image");
    const kept = await run(0.8, true);
    expect(Array.from({ length: kept.length }, (_, i) => kept.box(i))).toEqual([
      [238, 100, 318, 160],
      [260, 105, 340, 165],
    ]);
    expect((await run(0.6, false)).length).toBe(2218);
    const kept06 = await run(0.6, true);
    expect(kept06.length).toBe(14);
    expect(kept06.box(0)).toEqual([198, 0, 278, 60]);
  });

  it("pixel_color_count@v1: counts pixels within the tolerance of an RGB colour given as hex, tuple text or list", async () => {
    const cat = await photo("chelsea.png");
    const count = async (target_color: unknown, tolerance: number) => (await runBlock(pixelColorCountBlock, { image: cat, target_color, tolerance }))["matching_pixels_count"];
    expect(await count("#786450", 10)).toBe(3903);
    expect(await count("(120, 100, 80)", 10)).toBe(3903);
    expect(await count([200, 160, 120], 25)).toBe(14649);
  });

  it("run in a workflow: template matching on a crop gives boxes in the crop with its lineage; dominant colour of the same crop", async () => {
    const engine = new WorkflowEngine({ registry: new BlockRegistry([absoluteStaticCropBlock, templateMatchingBlock, dominantColorBlock, morphologicalTransformationV2Block] as Block[]) });
    const coffee = await photo("coffee.png");
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowImage", name: "template" }],
      steps: [
        { type: "roboflow_core/absolute_static_crop@v1", name: "crop", images: "$inputs.image", x_center: 300, y_center: 150, width: 200, height: 120 },
        { type: "roboflow_core/morphological_transformation@v2", name: "morph", image: "$steps.crop.crops", operation: "Erosion", kernel_size: 1 },
        { type: "roboflow_core/template_matching@v1", name: "match", image: "$steps.morph.image", template: "$inputs.template", matching_threshold: 0.95 },
        { type: "roboflow_core/dominant_color@v1", name: "colour", image: "$steps.crop.crops" },
      ],
      outputs: [
        { type: "JsonField", name: "matches", selector: "$steps.match.number_of_matches" },
        { type: "JsonField", name: "boxes", selector: "$steps.match.predictions" },
        { type: "JsonField", name: "colour", selector: "$steps.colour.rgb_color" },
      ],
    };
    const out = (await engine.run(definition, { image: coffee, template: cut(coffee, 250, 100, 330, 160) }, { serialize: false })).outputs[0]!;
    // The crop spans x 200..400, y 90..210: the patch cut at (250, 100) sits at (50, 10) inside it; a 1x1 erosion changes nothing.
    const boxes = out["boxes"] as Detections;
    expect(out["matches"]).toBe(boxes.length);
    // The positions scoring 0.95 cluster about (50, 10); NMS keeps the cluster's last in row-major order.
    expect(Array.from({ length: boxes.length }, (_, i) => boxes.box(i))).toEqual([[52, 10, 132, 70]]);
    expect(boxes.data["parent_origin"]?.[0]).toMatchObject({ offset_x: 200, offset_y: 90 });
    expect(out["colour"]).toHaveLength(3);
  });

  it("dominant_color@v1: chelsea.png's and coffee.png's, as RGB", async () => {
    expect((await runBlock(dominantColorBlock, { image: await photo("chelsea.png") }))["rgb_color"]).toEqual([160, 122, 96]);
    expect((await runBlock(dominantColorBlock, { image: await photo("coffee.png") }))["rgb_color"]).toEqual([161, 58, 24]);
  });
});

describe("classical CV blocks on made images", () => {
  it("camera_focus@v1 measures the squared step of an edge two pixels apart", async () => {
    // A vertical edge 0 -> 100 between columns 1 and 2 of a 5 x 4 image: columns 0 and 1 see +100
    // two pixels right; (100² · 2 · 4) / 20 = 4000. The image is that, scaled to 255 (text drawn beyond it).
    const out = await runBlock(cameraFocusBlock, { image: synthetic(5, 4, 1, (x) => (x >= 2 ? 100 : 0)) });
    expect(out["focus_measure"]).toBe(4000);
  });

  it("dominant_color@v1 finds the colour most pixels have", async () => {
    const image = synthetic(50, 40, 3, (x, _y, c) => (x < 35 ? [10, 200, 30][c]! : [250, 250, 250][c]!));
    expect((await runBlock(dominantColorBlock, { image }))["rgb_color"]).toEqual([10, 200, 30]);
  });

  it("template_matching@v1 suppresses a dense field of matches on the score map, and refuses over 100 000 without NMS", async () => {
    // A 700 x 700 checkerboard of 1-pixel squares: its 2 x 2 corner scores 1 at the 699 x 699 positions of the same parity
    // (ceil(488 601 / 2) = 244 301 of them) and -1 at the others.
    const board = synthetic(700, 700, 1, (x, y) => ((x + y) % 2 ? 200 : 20));
    const template = synthetic(2, 2, 1, (x, y) => ((x + y) % 2 ? 200 : 20), "template");
    await expect(runBlock(templateMatchingBlock, { image: board, template, apply_nms: false })).rejects.toMatchObject({ code: "invalid_field" });
    // Same-parity neighbours overlap by at most 1/7 (one pixel apart diagonally): at 0.5 NMS keeps every one.
    const kept = (await runBlock(templateMatchingBlock, { image: board, template, nms_threshold: 0.5 }))["number_of_matches"];
    expect(kept).toBe(244_301);
  });

  it("template_matching@v1 refuses a template larger than the image", async () => {
    const image = synthetic(4, 4, 3, () => 0);
    await expect(runBlock(templateMatchingBlock, { image, template: synthetic(5, 2, 3, () => 0) })).rejects.toMatchObject({ code: "invalid_field" });
  });
});
