/**
 * The detection-measuring and -combining blocks that need no pixels: detections_combine,
 * detections_merge, geotag_detection, distance_measurement, detections_nearest_neighbor,
 * mask_area_measurement (boxes and rectangle masks). The boxes are YOLOv8n's on bus.jpg (../shared/images/README.md).
 * Expected numbers were computed once by Roboflow's own functions (inference @ 3bb973b5, the
 * module-level functions of each block's v1.py run by /usr/bin/python3 with numpy 1.24 on these
 * boxes) and pasted here.
 */
import { describe, expect, it } from "vitest";
import { serializeDetections, type Detections } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { detectionsCombineBlock } from "../src/transformations/detections_combine.js";
import { detectionsMergeBlock } from "../src/transformations/detections_merge.js";
import { geotagDetectionBlock } from "../src/transformations/geotag_detection.js";
import { distanceMeasurementBlock } from "../src/classical_cv/distance_measurement.js";
import { detectionsNearestNeighborBlock } from "../src/classical_cv/detections_nearest_neighbor.js";
import { maskAreaMeasurementBlock } from "../src/classical_cv/mask_area_measurement.js";
import { boxes, makeDetections, rectMask, runBlock, type DetectionRow } from "./detections-fixture.js";
import { photo } from "./image-fixtures.js";

const BUS_IMAGE = { width: 810, height: 1080 };
const BUS: DetectionRow[] = [
  { cls: "person", confidence: 0.899, box: [672.9, 377.4, 809.7, 879.4] },
  { cls: "person", confidence: 0.898, box: [220.8, 407.9, 343.4, 856.6] },
  { cls: "person", confidence: 0.89, box: [51.0, 397.6, 242.4, 903.8] },
  { cls: "bus", confidence: 0.817, box: [35.5, 231.5, 798.4, 775.2] },
  { cls: "person", confidence: 0.412, box: [0.0, 549.5, 62.4, 870.1] },
];
const bus = (): Detections => makeDetections(BUS, BUS_IMAGE);

describe("detections_combine", () => {
  it("gives the first's detections then the second's, every column kept", async () => {
    const people = makeDetections(BUS.filter((r) => r.cls === "person"), BUS_IMAGE);
    const vehicles = makeDetections([{ ...BUS[3]!, id: "bus-1", data: { tracker_id: 7 } }], BUS_IMAGE);
    const { predictions } = (await runBlock(detectionsCombineBlock, { prediction_one: people, prediction_two: vehicles })) as { predictions: Detections };
    expect(predictions.className).toEqual(["person", "person", "person", "person", "bus"]);
    expect(boxes(predictions)[4]).toEqual(BUS[3]!.box);
    expect(predictions.detectionId[4]).toBe("bus-1");
    expect(predictions.data["tracker_id"]).toEqual([null, null, null, null, 7]);
    expect(predictions.image).toEqual(BUS_IMAGE);
  });

  it("gives the other side alone when one is empty", async () => {
    const empty = makeDetections([], BUS_IMAGE);
    const { predictions } = (await runBlock(detectionsCombineBlock, { prediction_one: empty, prediction_two: bus() })) as { predictions: Detections };
    expect(predictions.length).toBe(5);
  });
});

describe("detections_merge", () => {
  it("encloses every box in one, with the lowest confidence, class id 0 and the class name given", async () => {
    const { predictions } = (await runBlock(detectionsMergeBlock, { predictions: bus() })) as { predictions: Detections };
    expect(predictions.length).toBe(1);
    expect(predictions.box(0)).toEqual([0, 231.5, 809.7, 903.8]);
    expect(predictions.confidence[0]).toBe(0.412);
    expect(predictions.classId[0]).toBe(0);
    expect(predictions.className).toEqual(["merged_detection"]);
    expect(predictions.detectionId[0]).not.toMatch(/^det-/);
    expect(predictions.parentId).toEqual(["image"]);
    const renamed = (await runBlock(detectionsMergeBlock, { predictions: bus(), class_name: "crowd" })) as { predictions: Detections };
    expect(renamed.predictions.className).toEqual(["crowd"]);
  });

  it("gives no detection for none", async () => {
    const { predictions } = (await runBlock(detectionsMergeBlock, { predictions: makeDetections([], BUS_IMAGE) })) as { predictions: Detections };
    expect(predictions.length).toBe(0);
  });
});

describe.skipIf(missing("geotag_detection on bus.jpg", { photos: ["bus.jpg"] }))("geotag_detection", () => {
  let image: WorkflowImage;
  const camera = { latitude: 47.428681, longitude: -105.279125, altitude: 69.0 };

  it("projects box centres north-up as Roboflow's project_detections does", async () => {
    image = await photo("bus.jpg");
    const out = await runBlock(geotagDetectionBlock, { image, predictions: bus(), ...camera });
    // Roboflow's project_detections(boxes, 810, 1080, 47.428681, -105.279125, 69.0).
    expect(out["geo_detections"]).toEqual([
      { class: "person", confidence: 0.899, lat: 47.4285796, lon: -105.2785548, pixel_x: 741.3, pixel_y: 628.4, width: 136.8, height: 502.0 },
      { class: "person", confidence: 0.898, lat: 47.4285752, lon: -105.2793334, pixel_x: 282.1, pixel_y: 632.2, width: 122.6, height: 448.7 },
      { class: "person", confidence: 0.89, lat: 47.428554, lon: -105.2795629, pixel_x: 146.7, pixel_y: 650.7, width: 191.4, height: 506.2 },
      { class: "bus", confidence: 0.817, lat: 47.428723, lon: -105.2791047, pixel_x: 416.9, pixel_y: 503.4, width: 762.9, height: 543.7 },
      { class: "person", confidence: 0.412, lat: 47.4284862, lon: -105.2797588, pixel_x: 31.2, pixel_y: 709.8, width: 62.4, height: 320.6 },
    ]);
    expect(out["geojson"]).toMatchObject({
      type: "FeatureCollection",
      features: [{ type: "Feature", geometry: { type: "Point", coordinates: [-105.2785548, 47.4285796] }, properties: { class: "person", confidence: 0.899 } }, {}, {}, {}, {}],
    });
  });

  it("rotates the footprint by the heading and widens it with the field of view", async () => {
    const out = await runBlock(geotagDetectionBlock, { image, predictions: bus(), ...camera, horizontal_fov: 84, heading: 90 });
    // Roboflow's project_detections(..., 84.0, 90.0): image-up is east, so right of centre is south.
    const places = (out["geo_detections"] as { lat: number; lon: number }[]).map(({ lat, lon }) => [lat, lon]);
    expect(places).toEqual([
      [47.4282176, -105.2793051],
      [47.4288504, -105.2793129],
      [47.4290369, -105.2793505],
      [47.4286645, -105.2790503],
      [47.4291961, -105.2794709],
    ]);
  });

  it("puts everything at the camera at or below the ground", async () => {
    const out = await runBlock(geotagDetectionBlock, { image, predictions: bus(), ...camera, altitude: 0 });
    for (const r of out["geo_detections"] as { lat: number; lon: number }[]) expect([r.lat, r.lon]).toEqual([camera.latitude, camera.longitude]);
  });
});

describe("distance_measurement", () => {
  // Two of bus.jpg's people (one relabelled) and a reference square 50 x 49 px after rounding.
  const scene = (): Detections =>
    makeDetections(
      [
        { cls: "person", confidence: 0.9, box: BUS[1]!.box },
        { cls: "cyclist", confidence: 0.9, box: BUS[0]!.box },
        { cls: "reference-object", confidence: 0.9, box: [400.2, 300.7, 450.6, 350.1] },
      ],
      BUS_IMAGE,
    );
  const base = { object_1_class_name: "person", object_2_class_name: "cyclist", reference_axis: "horizontal" as const };

  it("measures the horizontal gap in pixels and centimeters, as Roboflow's functions do", async () => {
    // Roboflow: {distance_cm: 3.3, distance_pixel: 330} and {16.5, 330}.
    expect(await runBlock(distanceMeasurementBlock, { predictions: scene(), ...base, calibration_method: "pixel to centimeter" })).toEqual({ distance_cm: 3.3, distance_pixel: 330 });
    expect(await runBlock(distanceMeasurementBlock, { predictions: scene(), ...base, calibration_method: "reference object" })).toEqual({ distance_cm: 16.5, distance_pixel: 330 });
  });

  it("is 0 along an axis where the boxes overlap, or when they overlap", async () => {
    expect(await runBlock(distanceMeasurementBlock, { predictions: scene(), ...base, reference_axis: "vertical", calibration_method: "pixel to centimeter" })).toEqual({ distance_cm: 0, distance_pixel: 0 });
    const overlapping = makeDetections([{ cls: "person", confidence: 1, box: BUS[2]!.box }, { cls: "cyclist", confidence: 1, box: BUS[1]!.box }], BUS_IMAGE);
    expect(await runBlock(distanceMeasurementBlock, { predictions: overlapping, ...base, calibration_method: "pixel to centimeter" })).toEqual({ distance_cm: 0, distance_pixel: 0 });
  });

  it("fails with detection_not_found naming the classes it lacks", async () => {
    await expect(runBlock(distanceMeasurementBlock, { predictions: bus(), ...base, calibration_method: "pixel to centimeter" })).rejects.toMatchObject({
      code: "detection_not_found",
      details: { classes: ["person", "cyclist"] },
    });
    const noReference = makeDetections([{ cls: "person", confidence: 1, box: BUS[1]!.box }, { cls: "cyclist", confidence: 1, box: BUS[0]!.box }], BUS_IMAGE);
    await expect(runBlock(distanceMeasurementBlock, { predictions: noReference, ...base, calibration_method: "reference object" })).rejects.toMatchObject({
      code: "detection_not_found",
      details: { classes: ["reference-object"] },
    });
  });
});

describe("detections_nearest_neighbor", () => {
  const distances = (d: Detections): unknown[] => d.data["nearest_target_distance"] as unknown[];

  it("matches each detection to its nearest other one, centre to centre, as Roboflow's match_query_to_targets", async () => {
    const d = bus();
    const out = (await runBlock(detectionsNearestNeighborBlock, { query_predictions: d, target_predictions: d })) as Record<string, Detections>;
    expect(distances(out["query_predictions"]!)).toEqual([347.6210940089798, 136.65124404849013, 129.74228300750678, 186.54686408514078, 129.74228300750678].map((v) => expect.closeTo(v, 9)));
    expect(out["matched_query_detections"]!.detectionId).toEqual(["det-0", "det-1", "det-2", "det-3", "det-4"]);
    expect(out["matched_target_detections"]!.detectionId).toEqual(["det-3", "det-2", "det-4", "det-1", "det-2"]);
    expect(distances(out["matched_query_detections"]!)).toEqual(distances(out["query_predictions"]!));
    expect(serializeDetections(out["query_predictions"]!).predictions[0]).toMatchObject({ nearest_target_distance: expect.closeTo(347.621094, 5) });
  });

  it("leaves out targets beyond max_distance (null distance, no pair)", async () => {
    const d = bus();
    const out = (await runBlock(detectionsNearestNeighborBlock, { query_predictions: d, target_predictions: d, max_distance: 200 })) as Record<string, Detections>;
    expect(distances(out["query_predictions"]!)[0]).toBeNull();
    expect(out["matched_query_detections"]!.detectionId).toEqual(["det-1", "det-2", "det-3", "det-4"]);
    expect(out["matched_target_detections"]!.detectionId).toEqual(["det-2", "det-4", "det-1", "det-2"]);
  });

  it("anchors each side where asked (bottom centre to centre)", async () => {
    const d = bus();
    const out = (await runBlock(detectionsNearestNeighborBlock, { query_predictions: d, target_predictions: d, query_point: "BOTTOM_CENTER" })) as Record<string, Detections>;
    expect(distances(out["query_predictions"]!)).toEqual([496.60499896799263, 246.4304567215668, 225.7792063056295, 196.51774729016208, 247.9447720763638].map((v) => expect.closeTo(v, 9)));
  });

  it("gives one row per target within 1 px of the nearest (ties)", async () => {
    const query = makeDetections([{ cls: "ball", confidence: 1, box: [100, 100, 110, 110], id: "q" }]);
    const target = makeDetections([
      { cls: "player", confidence: 1, box: [200, 100, 210, 110], id: "a" },
      { cls: "player", confidence: 1, box: [0, 100.5, 10, 110.5], id: "b" },
      { cls: "player", confidence: 1, box: [100, 300, 110, 310], id: "c" },
    ]);
    const out = (await runBlock(detectionsNearestNeighborBlock, { query_predictions: query, target_predictions: target })) as Record<string, Detections>;
    expect(out["matched_query_detections"]!.detectionId).toEqual(["q", "q"]);
    expect(out["matched_target_detections"]!.detectionId).toEqual(["a", "b"]);
    expect(distances(out["query_predictions"]!)).toEqual([100]);
  });

  it("anchors on a named keypoint, and refuses KEYPOINT without a name or keypoints", async () => {
    const kp = (name: string, x: number, y: number) => ({ x, y, confidence: 1, classId: 0, className: name });
    const people = makeDetections([
      { cls: "person", confidence: 1, box: [0, 0, 50, 100], id: "p1" },
      { cls: "person", confidence: 1, box: [300, 0, 350, 100], id: "p2" },
    ]).with({ keypoints: [[kp("nose", 25, 10), kp("left_wrist", 40, 60)], [kp("nose", 325, 10)]] });
    const ball = makeDetections([{ cls: "ball", confidence: 1, box: [60, 50, 80, 70], id: "b" }]);
    const out = (await runBlock(detectionsNearestNeighborBlock, {
      query_predictions: people,
      target_predictions: ball,
      query_point: "KEYPOINT",
      query_keypoint_name: "left_wrist",
    })) as Record<string, Detections>;
    // p2 has no left wrist: no anchor, no match.
    expect(distances(out["query_predictions"]!)).toEqual([30, null]);
    expect(out["matched_target_detections"]!.detectionId).toEqual(["b"]);
    await expect(runBlock(detectionsNearestNeighborBlock, { query_predictions: people, target_predictions: ball, query_point: "KEYPOINT" })).rejects.toMatchObject({ code: "invalid_field" });
    await expect(runBlock(detectionsNearestNeighborBlock, { query_predictions: ball, target_predictions: people, query_point: "KEYPOINT", query_keypoint_name: "nose" })).rejects.toMatchObject({ code: "invalid_field" });
  });
});

describe("mask_area_measurement", () => {
  it("counts a mask's set pixels, falls back to the box, and converts by pixels_per_unit²", async () => {
    // A 20 x 10 mask with a 5 x 4 hole, and a box without a mask.
    const holed = rectMask(810, 1080, [100, 200, 119, 209]);
    for (let y = 3; y < 7; y++) for (let x = 5; x < 10; x++) holed.data[y * holed.columns + x] = 0;
    const d = makeDetections([
      { cls: "a", confidence: 1, box: [100, 200, 120, 210], mask: holed },
      { cls: "b", confidence: 1, box: BUS[0]!.box, mask: null },
    ], BUS_IMAGE);
    const { predictions } = (await runBlock(maskAreaMeasurementBlock, { predictions: d, pixels_per_unit: 10 })) as { predictions: Detections };
    expect(predictions.data["area_px"]).toEqual([180, expect.closeTo(136.8 * 502.0, 6)]);
    expect(predictions.data["area_converted"]).toEqual([1.8, expect.closeTo((136.8 * 502.0) / 100, 6)]);
    const wire = serializeDetections(predictions).predictions[0]!;
    expect(wire).toMatchObject({ area_px: 180, area_converted: 1.8 });
  });

  it("keeps square pixels for pixels_per_unit <= 0", async () => {
    const { predictions } = (await runBlock(maskAreaMeasurementBlock, { predictions: bus(), pixels_per_unit: 0 })) as { predictions: Detections };
    expect(predictions.data["area_converted"]).toEqual(predictions.data["area_px"]);
  });
});
