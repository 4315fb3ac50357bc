/**
 * The measurement and geometry blocks inside the full engine (createWorkflowEngine, real models)
 * on bus.jpg: Roboflow's dynamic-zone-then-perspective pattern, and the other blocks chained on
 * the segmenter's and detector's predictions, their outputs serialised to the wire format.
 */
import { describe, expect, it } from "vitest";
import { missing } from "@cvflow/vision/test-assets";
import { createWorkflowEngine } from "../src/runtime.js";
import { photo, realModels } from "./model-fixtures.js";

describe.skipIf(missing("measurement blocks in a workflow", { models: ["yolov8n-seg-640", "yolov8n-640"], photos: ["bus.jpg"] }))("measurement blocks in a workflow", () => {
  it("runs segmentation -> dynamic zone -> perspective correction and the measuring blocks, serialised", async () => {
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        { type: "roboflow_core/roboflow_instance_segmentation_model@v2", name: "seg", images: "$inputs.image", model_id: "yolov8n-seg-640", class_filter: ["bus"] },
        { type: "roboflow_core/roboflow_object_detection_model@v2", name: "det", images: "$inputs.image", model_id: "yolov8n-640", class_filter: ["person"] },
        { type: "DynamicZone", name: "zone", predictions: "$steps.seg.predictions", required_number_of_vertices: 4 },
        { type: "PerspectiveCorrection", name: "flat", images: "$inputs.image", predictions: "$steps.det.predictions", perspective_polygons: "$steps.zone.zones", transformed_rect_width: 400, transformed_rect_height: 200, warp_image: true },
        { type: "roboflow_core/bounding_rect@v1", name: "rect", predictions: "$steps.seg.predictions" },
        { type: "roboflow_core/mask_area_measurement@v1", name: "area", predictions: "$steps.seg.predictions", pixels_per_unit: 10 },
        { type: "roboflow_core/size_measurement@v1", name: "size", object_predictions: "$steps.det.predictions", reference_predictions: "$steps.seg.predictions", reference_dimensions: "12,3" },
        { type: "roboflow_core/detections_combine@v1", name: "both", prediction_one: "$steps.det.predictions", prediction_two: "$steps.seg.predictions" },
        { type: "roboflow_core/detections_merge@v1", name: "crowd", predictions: "$steps.det.predictions", class_name: "crowd" },
        { type: "roboflow_core/detections_nearest_neighbor@v1", name: "near", query_predictions: "$steps.det.predictions", target_predictions: "$steps.det.predictions" },
        { type: "roboflow_core/geotag_detection@v1", name: "geo", image: "$inputs.image", predictions: "$steps.det.predictions", latitude: 47.4, longitude: -105.3, altitude: 50 },
        { type: "roboflow_core/camera-calibration@v1", name: "lens", image: "$steps.flat.warped_image", fx: 400, fy: 400, cx: 200, cy: 100, k1: -0.1, k2: 0, k3: 0, p1: 0, p2: 0 },
      ],
      outputs: [
        { type: "JsonField", name: "zones", selector: "$steps.zone.zones" },
        { type: "JsonField", name: "flat", selector: "$steps.flat.corrected_coordinates" },
        { type: "JsonField", name: "size", selector: "$steps.flat.extended_transformed_rect_width" },
        { type: "JsonField", name: "rect", selector: "$steps.rect.detections_with_rect" },
        { type: "JsonField", name: "area", selector: "$steps.area.predictions" },
        { type: "JsonField", name: "dimensions", selector: "$steps.size.dimensions" },
        { type: "JsonField", name: "both", selector: "$steps.both.predictions" },
        { type: "JsonField", name: "crowd", selector: "$steps.crowd.predictions" },
        { type: "JsonField", name: "near", selector: "$steps.near.query_predictions" },
        { type: "JsonField", name: "geo", selector: "$steps.geo.geojson" },
        { type: "JsonField", name: "lens", selector: "$steps.lens.calibrated_image" },
      ],
    };
    const { outputs } = await createWorkflowEngine({ models: realModels() }).run(definition, { image: await photo("bus.jpg") });
    const out = outputs[0] as Record<string, any>;
    expect(out["zones"]).toHaveLength(1);
    expect(out["zones"][0]).toHaveLength(4);
    expect(out["size"]).toBe(400);
    expect(out["flat"].predictions.length).toBeGreaterThanOrEqual(3);
    expect(out["flat"].image).toEqual({ width: 400, height: 200 });
    expect(out["rect"].predictions[0]).toHaveProperty("angle");
    expect(out["area"].predictions[0].area_converted).toBeCloseTo(out["area"].predictions[0].area_px / 100, 9);
    expect(out["dimensions"].length).toBe(out["flat"].predictions.length);
    expect(out["both"].predictions.length).toBe(out["flat"].predictions.length + 1);
    expect(out["crowd"].predictions.map((p: { class: string }) => p.class)).toEqual(["crowd"]);
    expect(out["near"].predictions.every((p: { nearest_target_distance: unknown }) => typeof p.nearest_target_distance === "number")).toBe(true);
    expect(out["geo"].features).toHaveLength(out["flat"].predictions.length);
    expect(out["lens"]).toMatchObject({ type: "base64" });
  });
});
