/**
 * The mask-measuring blocks on a real segmentation (YOLOv8n-seg's masks of bus.jpg): bounding_rect,
 * size_measurement, dynamic_zone and mask_area_measurement, checked against what OpenCV's Python
 * binding computes during the run for the same masks, following the steps of Roboflow's blocks
 * (sv.mask_to_polygons = findContours external/simple with >= 3 points; minAreaRect, boxPoints;
 * convexHull + approxPolyDP bisection; moments; fillPoly).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { Detections, deserializeDetections, serializeDetections, type BitMask } from "@cvflow/engine";
import { missing } from "@cvflow/vision/test-assets";
import { instanceSegmentationModelV3Block } from "../src/models/instance_segmentation.js";
import { boundingRectBlock } from "../src/transformations/bounding_rect.js";
import { dynamicZonesBlock } from "../src/transformations/dynamic_zones.js";
import { sizeMeasurementBlock, type Dimensions } from "../src/classical_cv/size_measurement.js";
import { maskAreaMeasurementBlock } from "../src/classical_cv/mask_area_measurement.js";
import { photo, runModelBlock } from "./model-fixtures.js";
import { runBlock } from "./detections-fixture.js";
import { missingOpenCvPython, runOpenCvPython } from "./opencv-python.js";

const REFERENCE = String.raw`
import sys, json, base64
import numpy as np, cv2
inp = json.load(sys.stdin)
out = []
for m in inp["masks"]:
    full = np.zeros((m["height"], m["width"]), np.uint8)
    win = np.frombuffer(base64.b64decode(m["data"]), np.uint8).reshape(m["rows"], m["columns"])
    full[m["top"]:m["top"] + m["rows"], m["left"]:m["left"] + m["columns"]] = win
    contours, _ = cv2.findContours(full, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    polygons = [c.reshape(-1, 2) for c in contours if c.shape[0] >= 3]
    longest = max(polygons, key=len)
    rect = cv2.minAreaRect(longest)
    corners = np.array(cv2.boxPoints(rect), dtype=int)
    # size_measurement: the contour of largest area, the side nearer horizontal as width.
    biggest = max(contours, key=cv2.contourArea)
    box = np.array(cv2.boxPoints(cv2.minAreaRect(biggest)), dtype=np.float32)
    e1, e2 = box[1] - box[0], box[2] - box[1]
    score = lambda a: min(abs(a % 180), 180 - abs(a % 180))
    a1, a2 = np.degrees(np.arctan2(e1[1], e1[0])), np.degrees(np.arctan2(e2[1], e2[0]))
    l1, l2 = float(np.linalg.norm(e1)), float(np.linalg.norm(e2))
    size = [l1, l2] if score(a1) < score(a2) else [l2, l1]
    # dynamic zone: hull, then approxPolyDP with the bisected epsilon.
    hull = cv2.convexHull(points=longest, returnPoints=True, clockwise=True)
    upper = cv2.arcLength(hull, True); lower = 0.0000001; eps = lower + upper / 2
    simple = cv2.approxPolyDP(hull, eps, True)
    for _ in range(1000):
        if len(simple) == inp["vertices"]: break
        if len(simple) > inp["vertices"]: lower = eps
        else: upper = eps
        eps = lower + (upper - lower) / 2
        simple = cv2.approxPolyDP(hull, eps, True)
    zone = simple.reshape(-1, 2)
    M = cv2.moments(zone); cx, cy = M["m10"] / M["m00"], M["m01"] / M["m00"]
    scaled = ((zone - [cx, cy]) * inp["scale"] + [cx, cy]).round().astype(np.int32)
    filled = cv2.fillPoly(np.zeros_like(full), [corners.astype(np.int32)], 1)
    out.append({"corners": corners.tolist(), "side": list(rect[1]), "angle": rect[2], "size": size,
                "zone": zone.tolist(), "scaled": scaled.tolist(), "count": int(cv2.countNonZero(full)), "rectPixels": int(filled.sum())})
print(json.dumps(out))
`;

interface Reference {
  corners: number[][];
  side: [number, number];
  angle: number;
  size: [number, number];
  zone: number[][];
  scaled: number[][];
  count: number;
  rectPixels: number;
}

const wireMask = (m: BitMask) => ({ ...m, data: Buffer.from(m.data).toString("base64") });
const setPixels = (m: BitMask) => m.data.reduce((s, v) => s + v, 0);

describe.skipIf(missing("mask measurements on bus.jpg", { models: ["yolov8n-seg-640"], photos: ["bus.jpg"] }) ?? missingOpenCvPython("mask measurements on bus.jpg"))(
  "mask measurements on bus.jpg against OpenCV",
  () => {
    let predictions: Detections;
    let reference: Reference[];
    const SCALE = 1.1;

    beforeAll(async () => {
      const [out] = await runModelBlock(instanceSegmentationModelV3Block, { images: [await photo("bus.jpg")], model_id: "yolov8n-seg-640" });
      predictions = out!["predictions"] as Detections;
      reference = runOpenCvPython(REFERENCE, { masks: predictions.masks!.map((m) => wireMask(m!)), vertices: 4, scale: SCALE }) as Reference[];
    });

    it("bounding_rect: OpenCV's minimum-area rectangle of each mask, its corners as mask, box and rect", async () => {
      expect(predictions.length).toBeGreaterThanOrEqual(4);
      const out = (await runBlock(boundingRectBlock, { predictions }))["detections_with_rect"] as Detections;
      reference.forEach((ref, i) => {
        expect(out.data["rect"]![i]).toEqual(ref.corners);
        expect(out.data["width"]![i]).toBe(Math.f16round(ref.side[0]));
        expect(out.data["height"]![i]).toBe(Math.f16round(ref.side[1]));
        expect(out.data["angle"]![i]).toBe(Math.f16round(ref.angle));
        const xs = ref.corners.map(([x]) => x!);
        const ys = ref.corners.map(([, y]) => y!);
        expect(out.box(i)).toEqual([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]);
        // The filled rectangle, clipped to the image as cv2.fillPoly clips.
        expect(setPixels(out.masks![i]!)).toBe(ref.rectPixels);
      });
      const wire = serializeDetections(out).predictions[0]!;
      expect(wire["rect"]).toEqual(reference[0]!.corners);
      expect(wire["width"]).toBe(Math.f16round(reference[0]!.side[0]));
    });

    it("size_measurement: the rotated sizes over the reference's, per axis", async () => {
      const bus = predictions.className.indexOf("bus");
      const referenceDetection = predictions.select([bus]);
      const out = await runBlock(sizeMeasurementBlock, { object_predictions: predictions, reference_predictions: referenceDetection, reference_dimensions: "12.0,3.2" });
      const [rw, rh] = reference[bus]!.size;
      const dimensions = out["dimensions"] as Dimensions[];
      reference.forEach((ref, i) => {
        const [w, h] = [(ref.size[0] * 12) / rw, (ref.size[1] * 3.2) / rh];
        expect(dimensions[i]).toEqual({ width: expect.closeTo(w, 6), height: expect.closeTo(h, 6), longer: expect.closeTo(Math.max(w, h), 6), shorter: expect.closeTo(Math.min(w, h), 6) });
      });
      expect(dimensions[bus]).toMatchObject({ width: expect.closeTo(12, 9), height: expect.closeTo(3.2, 9) });
      // A polygon reference (the bus's rectangle corners) and list dimensions measure the same way.
      const byPolygon = await runBlock(sizeMeasurementBlock, { object_predictions: predictions, reference_predictions: reference[bus]!.corners, reference_dimensions: [12.0, 3.2] });
      expect((byPolygon["dimensions"] as Dimensions[]).length).toBe(predictions.length);
      expect(await runBlock(sizeMeasurementBlock, { object_predictions: predictions, reference_predictions: Detections.empty(predictions.image), reference_dimensions: [1, 1] })).toEqual({ dimensions: null });
      await expect(runBlock(sizeMeasurementBlock, { object_predictions: predictions, reference_predictions: referenceDetection, reference_dimensions: "12" })).rejects.toMatchObject({ code: "invalid_field" });
    });

    it("dynamic_zone: OpenCV's hull simplified to 4 vertices, scaled about its centroid", async () => {
      const plain = await runBlock(dynamicZonesBlock, { predictions, required_number_of_vertices: 4 });
      expect(plain["zones"]).toEqual(reference.map((r) => r.zone));
      expect(plain["simplification_converged"]).toBe(reference.every((r) => r.zone.length === 4));
      const scaled = await runBlock(dynamicZonesBlock, { predictions, required_number_of_vertices: 4, scale_ratio: SCALE });
      expect(scaled["zones"]).toEqual(reference.map((r) => r.scaled));
      const zoned = scaled["predictions"] as Detections;
      expect(zoned.data["polygon"]).toEqual(scaled["zones"]);
      expect(serializeDetections(zoned).predictions[0]!["polygon"]).toEqual(reference[0]!.scaled);
    });

    it("dynamic_zone with least squares keeps 4 vertices near the simplified ones", async () => {
      const fitted = await runBlock(dynamicZonesBlock, { predictions, required_number_of_vertices: 4, apply_least_squares: true, midpoint_fraction: 0.9 });
      const zones = fitted["zones"] as number[][][];
      zones.forEach((zone, i) => {
        expect(zone).toHaveLength(4);
        const [x1, y1, x2, y2] = predictions.box(i);
        const reach = Math.max(x2 - x1, y2 - y1);
        // Each refitted corner lies within the object's size of the plain one.
        zone.forEach(([x, y], k) => expect(Math.hypot(x! - reference[i]!.zone[k]![0]!, y! - reference[i]!.zone[k]![1]!)).toBeLessThan(reach));
      });
    });

    it("mask_area_measurement: cv2.countNonZero of each mask, and of the polygon for predictions read back from JSON", async () => {
      const out = (await runBlock(maskAreaMeasurementBlock, { predictions }))["predictions"] as Detections;
      expect(out.data["area_px"]).toEqual(reference.map((r) => r.count));
      // Read back from the wire format, detections carry polygons only: the filled outline measures within 3% of the mask.
      const fromJson = deserializeDetections(serializeDetections(predictions));
      expect(fromJson.masks).toBeUndefined();
      const areas = ((await runBlock(maskAreaMeasurementBlock, { predictions: fromJson }))["predictions"] as Detections).data["area_px"] as number[];
      areas.forEach((area, i) => expect(Math.abs(area - reference[i]!.count) / reference[i]!.count).toBeLessThan(0.03));
    });
  },
);
