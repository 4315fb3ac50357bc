/**
 * perspective_correction: the quadrilateral's ordering and growth as Roboflow's unit tests state
 * them (inference tests/workflows/unit_tests/core_steps/transformations/test_perspective_correction.py),
 * and on a real photo (bus.jpg, the bus's side as the plane) the matrix, the warped image and the
 * mapped boxes against OpenCV's Python binding run on the same pixels and points.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { polygonMask } from "../src/classical_cv/mask-geometry.js";
import { withMats } from "../src/classical_cv/opencv.js";
import { perspectiveCorrectionBlock } from "../src/transformations/perspective_correction.js";
import { extendQuadrilateral, largestQuadrilateral, orderedQuadrilateral } from "../src/transformations/perspective-polygon.js";
import type { Point } from "../src/visualizations/draw/shapes.js";
import { makeDetections, runBlock } from "./detections-fixture.js";
import { photo, synthetic } from "./image-fixtures.js";
import { missingOpenCvPython, runOpenCvPython } from "./opencv-python.js";

const boxesOf = (rows: number[][]): Detections => makeDetections(rows.map((box) => ({ cls: "x", confidence: 1, box: box as [number, number, number, number] })));

async function extend(polygon: Point[], detections: Detections, anchor: string) {
  return withMats((cv, scope) =>
    extendQuadrilateral(polygon, detections, anchor, (quad, [x, y]) => cv.pointPolygonTest(scope.track(cv.matFromArray(4, 1, cv.CV_32FC2, quad.flat())), new cv.Point(x, y), false) >= 0),
  );
}

describe("perspective_correction's quadrilateral, as Roboflow's unit tests", () => {
  it("orders the vertices clockwise from the bottom-left", () => {
    expect(orderedQuadrilateral([[1, 1], [1, 10], [10, 10], [10, 1]])).toEqual([[1, 10], [1, 1], [10, 1], [10, 10]]);
    expect(orderedQuadrilateral([[1, 1], [10, 1], [10, 10], [1, 10]])).toEqual([[1, 10], [1, 1], [10, 1], [10, 10]]);
  });

  it("takes the largest 4-vertex polygon of a list, rounded", () => {
    expect(largestQuadrilateral([[[0, 0], [2, 0], [2, 2], [0, 2]], [[0, 0], [5.4, 0], [5.6, 5], [0, 5]], [[0, 0], [9, 0], [9, 9]]])).toEqual([[0, 0], [5, 0], [6, 5], [0, 5]]);
    expect(() => largestQuadrilateral([[[0, 0], [9, 0], [9, 9]]])).toThrow(/4 vertices/);
  });

  it("does not grow for anchors inside", async () => {
    const grown = await extend([[100, 500], [50, 200], [500, 100], [400, 600]], boxesOf([[200, 200, 201, 201]]), "BOTTOM_CENTER");
    expect(grown.polygon).toEqual([[100, 500], [50, 200], [500, 100], [400, 600]]);
  });

  it("grows each side through the anchors outside it", async () => {
    const square = await extend([[100, 110], [100, 100], [110, 100], [110, 110]], boxesOf([[90, 105, 92, 106], [120, 105, 122, 106], [105, 90, 106, 92], [105, 120, 106, 122]]), "BOTTOM_CENTER");
    expect(square).toEqual({ polygon: [[91, 122], [91, 92], [121, 92], [121, 122]], originalWidth: 10, originalHeight: 10, extendedWidth: 20, extendedHeight: 20 });
    const skewed = await extend([[300, 700], [250, 400], [700, 300], [600, 800]], boxesOf([[199, 599, 201, 601], [399, 199, 401, 201], [799, 599, 801, 601], [399, 899, 401, 901]]), "BOTTOM_CENTER");
    expect(skewed.polygon).toEqual([[242, 848], [142, 258], [903, 90], [718, 1007]]);
  });

  it("maps the square onto 1000 x 1000 with Roboflow's matrix, not growing without detections", async () => {
    const out = await runBlock(perspectiveCorrectionBlock, {
      images: synthetic(200, 200, 3, () => 0),
      predictions: Detections.empty({ width: 200, height: 200 }),
      perspective_polygons: [[100, 110], [100, 100], [110, 100], [110, 110]],
      extend_perspective_polygon_by_detections_anchor: "BOTTOM_CENTER",
    });
    expect([out["extended_transformed_rect_width"], out["extended_transformed_rect_height"]]).toEqual([1000, 1000]);
    // Roboflow: [[99.9, ~0, -9990], [~0, 99.9, -9990], [0, 0, 1]]: (105, 105) lands at (499.5, 499.5).
    const one = makeDetections([{ cls: "x", confidence: 1, box: [101, 101, 109, 109] }], { width: 200, height: 200 });
    const mapped = await runBlock(perspectiveCorrectionBlock, { images: out["warped_image"] as WorkflowImage, predictions: one, perspective_polygons: [[100, 110], [100, 100], [110, 100], [110, 110]] });
    const d = mapped["corrected_coordinates"] as Detections;
    expect(d.box(0)).toEqual([100, 100, 899, 899]);
    expect(d.image).toEqual({ width: 1000, height: 1000 });
  });
});

describe("perspective_correction's detections, as Roboflow's correct_detections tests", () => {
  // Roboflow's: the square (5, 5)-(25, 25) onto (0, 0)-(100, 100), which here is a 101 x 101 rectangle.
  const square = [[5, 5], [25, 5], [25, 25], [5, 25]];
  const kp = (x: number, y: number, k: number) => ({ x, y, confidence: 1, classId: k, className: `k${k}` });

  it("maps a mask's outline and fills it again, and its box", async () => {
    const diamond = (scale: number, offset: number): Point[] => [[10, 15], [15, 10], [20, 15], [15, 20]].map(([x, y]) => [(x! - 10) * scale + offset, (y! - 10) * scale + offset] as Point);
    const [input, expected] = await withMats((cv, scope) => [polygonMask(cv, scope, diamond(1, 10), { width: 200, height: 200 }), polygonMask(cv, scope, diamond(5, 25), { width: 101, height: 101 })]);
    const d = makeDetections([{ cls: "x", confidence: 1, box: [10, 10, 20, 20], mask: input }], { width: 200, height: 200 });
    const out = await runBlock(perspectiveCorrectionBlock, { images: synthetic(200, 200, 3, () => 0), predictions: d, perspective_polygons: square, transformed_rect_width: 101, transformed_rect_height: 101 });
    const corrected = out["corrected_coordinates"] as Detections;
    expect(corrected.box(0)).toEqual([25, 25, 75, 75]);
    expect(corrected.masks![0]).toEqual(expected);
  });

  it("maps keypoints to whole pixels", async () => {
    const d = makeDetections([{ cls: "x", confidence: 1, box: [10, 10, 20, 20] }], { width: 200, height: 200 }).with({ keypoints: [[kp(10, 10, 0), kp(15, 15, 1), kp(10, 20, 2), kp(20, 10, 3)]] });
    const out = await runBlock(perspectiveCorrectionBlock, { images: synthetic(200, 200, 3, () => 0), predictions: d, perspective_polygons: square, transformed_rect_width: 101, transformed_rect_height: 101 });
    const corrected = out["corrected_coordinates"] as Detections;
    expect(corrected.box(0)).toEqual([25, 25, 75, 75]);
    expect(corrected.keypoints![0]!.map((k) => [k.x, k.y])).toEqual([[25, 25], [50, 50], [25, 75], [75, 25]]);
  });
});

const REFERENCE = String.raw`
import sys, json, base64
import numpy as np, cv2
inp = json.load(sys.stdin)
h, w = inp["height"], inp["width"]
img = np.frombuffer(base64.b64decode(inp["pixels"]), np.uint8).reshape(h, w, 3)
W, H = inp["size"]
M = cv2.getPerspectiveTransform(np.array(inp["quad"], np.float32), np.array([[0, H - 1], [0, 0], [W - 1, 0], [W - 1, H - 1]], np.float32))
warped = cv2.warpPerspective(img, M, (W, H))
boxes = []
for x1, y1, x2, y2 in inp["boxes"]:
    x1, y1, x2, y2 = np.around([x1, y1, x2, y2]).tolist()
    p = cv2.perspectiveTransform(np.array([[[x1, y1], [x2, y1], [x2, y2], [x1, y2]]], np.float32), M).reshape(-1, 2)
    boxes.append(np.around([p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()]).astype(int).tolist())
print(json.dumps({"M": M.tolist(), "warped": base64.b64encode(warped.tobytes()).decode(), "boxes": boxes}))
`;

// The bus's side in bus.jpg (810 x 1080), clockwise from its lower left: it narrows to the back.
const SIDE = [[40, 760], [40, 240], [560, 330], [560, 700]];
const PEOPLE = [[672.9, 377.4, 809.7, 879.4], [220.8, 407.9, 343.4, 856.6], [51.0, 397.6, 242.4, 903.8]];

describe.skipIf(missing("perspective_correction on bus.jpg", { photos: ["bus.jpg"] }) ?? missingOpenCvPython("perspective_correction on bus.jpg"))("perspective_correction against OpenCV", () => {
  let image: WorkflowImage;
  let reference: { M: number[][]; warped: string; boxes: number[][] };

  beforeAll(async () => {
    image = await photo("bus.jpg");
    const { data, width, height } = image.pixels;
    reference = runOpenCvPython(REFERENCE, { pixels: Buffer.from(data).toString("base64"), width, height, quad: SIDE, size: [600, 300], boxes: PEOPLE }) as typeof reference;
  });

  it("warps the plane onto the rectangle and maps the boxes as OpenCV does", async () => {
    const out = await runBlock(perspectiveCorrectionBlock, {
      images: image,
      predictions: boxesOf(PEOPLE).with({ image: { width: 810, height: 1080 } }),
      // Given in another order and as a list of zones: the largest quadrilateral, reordered.
      perspective_polygons: [[[0, 0], [1, 0], [1, 1], [0, 1]], [SIDE[2], SIDE[3], SIDE[0], SIDE[1]]],
      transformed_rect_width: 600,
      transformed_rect_height: 300,
      warp_image: true,
    });
    const warped = out["warped_image"] as WorkflowImage;
    expect([warped.width, warped.height]).toEqual([600, 300]);
    const expected = Buffer.from(reference.warped, "base64");
    let off = 0;
    for (let i = 0; i < expected.length; i++) if (Math.abs(warped.pixels.data[i]! - expected[i]!) > 1) off++;
    expect(off / expected.length).toBeLessThan(0.001);
    const d = out["corrected_coordinates"] as Detections;
    expect(Array.from({ length: d.length }, (_, i) => d.box(i))).toEqual(reference.boxes);
  });
});
