/**
 * Where cvflow used to differ from Roboflow on a definition, each case as a minimal workflow run
 * over real HTTP against the local stack: parameter values checked against the field they feed
 * (enums, null), a segmentation model in the object-detection block, ExtractFrameMetadata,
 * detections given as an input and the video frame of output images, and image URLs on loopback
 * refused when no allow-list names them (e2e-url-allow-list.test.ts runs a stack with one).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { missing } from "@cvflow/vision/test-assets";
import { runInline, testStack } from "./local-stack.js";
import { photo, plainJpeg } from "./vision-fixtures.js";

let stack: LocalStack;
let image: { type: "base64"; value: string };

beforeAll(async () => {
  stack = await testStack();
  image = await plainJpeg();
});
afterAll(() => stack?.close());

const run = (specification: unknown, inputs: Record<string, unknown>) => runInline(stack, specification, inputs);

const BOXES = { image: { width: 96, height: 64 }, predictions: [{ x: 30, y: 20, width: 20, height: 10, confidence: 0.9, class: "cat", class_id: 1, detection_id: "d1" }] };

/** Labels drawn from given boxes, with text_size_mode from the parameter `mode` (or the literal given). */
const labels = (textSizeMode: unknown, mode: Record<string, unknown> = {}) => ({
  version: "1.0",
  inputs: [
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowBatchInput", name: "boxes", kind: ["object_detection_prediction"] },
    { type: "WorkflowParameter", name: "mode", ...mode },
  ],
  steps: [{ type: "roboflow_core/label_visualization@v2", name: "labels", image: "$inputs.image", predictions: "$inputs.boxes", text_size_mode: textSizeMode }],
  outputs: [{ type: "JsonField", name: "drawn", selector: "$steps.labels.image" }],
});

describe("parameter values against the field they feed", () => {
  it("an enum value out of range is refused through a parameter as it is as a literal, naming the input and the step's field", async () => {
    const viaParameter = await run(labels("$inputs.mode"), { image, boxes: BOXES, mode: "Banana" });
    expect(viaParameter.status).toBe(400);
    expect(viaParameter.body.error).toMatchObject({
      code: "invalid_input",
      details: { pointer: "/inputs/mode", input: "mode", step: "labels", property: "text_size_mode", field_pointer: "/steps/0/text_size_mode" },
    });
    expect(viaParameter.body.error.message).toBe('Input "mode" does not fit step "labels"\'s field "text_size_mode" (/steps/0/text_size_mode): expected one of "Manual", "Automatic", got "Banana"');
    const literal = await run(labels("Banana"), { image, boxes: BOXES });
    expect(literal.status).toBe(400);
    expect(literal.body.error.details.errors).toEqual([expect.objectContaining({ code: "invalid_field", pointer: "/steps/0/text_size_mode", step: "labels", property: "text_size_mode" })]);
    expect((await run(labels("$inputs.mode"), { image, boxes: BOXES, mode: "Automatic" })).status).toBe(200);
  });

  it("null is refused where the field does not take it, sent or left without default_value; default_value applies only when omitted", async () => {
    const withDefault = labels("$inputs.mode", { default_value: "Automatic" });
    const sent = await run(withDefault, { image, boxes: BOXES, mode: null });
    expect(sent.status).toBe(400);
    expect(sent.body.error).toMatchObject({ code: "invalid_input", details: { input: "mode", step: "labels", property: "text_size_mode", field_pointer: "/steps/0/text_size_mode" } });
    expect(sent.body.error.message).toBe('Input "mode" is null, but step "labels" does not take null for "text_size_mode" (/steps/0/text_size_mode)');
    expect((await run(withDefault, { image, boxes: BOXES })).status).toBe(200);
    const omitted = await run(labels("$inputs.mode"), { image, boxes: BOXES });
    expect(omitted.status).toBe(400);
    expect(omitted.body.error).toMatchObject({ code: "missing_input", details: { input: "mode", property: "text_size_mode" } });
  });
});

describe("ExtractFrameMetadata, and the frame output images carry", () => {
  const frame = { video_identifier: "gate-cam", frame_number: 31, frame_timestamp: "2024-05-01T12:00:03.500000", fps: 15, measured_fps: null, comes_from_video_file: true };
  const property = (name: string) => ({
    type: "roboflow_core/property_definition@v1",
    name,
    data: "$inputs.image",
    operations: [{ type: "ExtractFrameMetadata", property_name: name }],
  });
  const definition = {
    version: "1.0",
    inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowBatchInput", name: "boxes", kind: ["object_detection_prediction"] }],
    steps: [
      property("frame_number"),
      property("frame_timestamp"),
      property("seconds_since_start"),
      { type: "roboflow_core/bounding_box_visualization@v1", name: "boxes_drawn", image: "$inputs.image", predictions: "$inputs.boxes" },
      { type: "roboflow_core/property_definition@v1", name: "same_boxes", data: "$inputs.boxes", operations: [] },
    ],
    outputs: [
      { type: "JsonField", name: "frame_number", selector: "$steps.frame_number.output" },
      { type: "JsonField", name: "frame_timestamp", selector: "$steps.frame_timestamp.output" },
      { type: "JsonField", name: "seconds_since_start", selector: "$steps.seconds_since_start.output" },
      { type: "JsonField", name: "drawn", selector: "$steps.boxes_drawn.image" },
      { type: "JsonField", name: "boxes", selector: "$steps.same_boxes.output" },
    ],
  };

  it("reads the frame an input image says it is; the drawing carries that frame; the input's detections belong to it by name", async () => {
    const response = await run(definition, { image: [{ ...image, video_metadata: frame }], boxes: [BOXES] });
    expect(response.status).toBe(200);
    const [out] = response.body.outputs;
    expect([out.frame_number, out.frame_timestamp, out.seconds_since_start]).toEqual([31, "2024-05-01T12:00:03.500000", 2]);
    expect(out.drawn.video_metadata).toEqual(frame);
    expect(out.boxes.predictions.map((p: { parent_id: string }) => p.parent_id)).toEqual(["boxes.[0]"]);
  });

  it("a photo is frame 0 of a 30 fps video named after it, now, as Roboflow answers", async () => {
    const before = new Date().toISOString();
    const response = await run(definition, { image, boxes: BOXES });
    const after = new Date().toISOString();
    expect(response.status).toBe(200);
    const [out] = response.body.outputs;
    expect([out.frame_number, out.seconds_since_start]).toEqual([0, -1 / 30]);
    expect(out.frame_timestamp >= before && out.frame_timestamp <= after).toBe(true);
    expect(out.drawn.video_metadata).toMatchObject({ video_identifier: "image", frame_number: 0, fps: 30, measured_fps: null, comes_from_video_file: null });
    expect(out.boxes.predictions[0].parent_id).toBe("boxes");
  });

  it("a malformed frame is a 400 naming the field", async () => {
    const response = await run(definition, { image: { ...image, video_metadata: { ...frame, frame_number: "31" } }, boxes: BOXES });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "invalid_image_input", details: { field: "video_metadata.frame_number", pointer: "/inputs/image" } });
  });
});

describe.skipIf(missing("segmentation and detection models in each other's blocks, over HTTP", { models: ["yolov8n-seg-640", "yolov8n-640"], photos: ["bus.jpg"] }))(
  "segmentation and detection models in each other's blocks, over HTTP",
  () => {
    const model = (type: string) => ({
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [{ type, name: "model", images: "$inputs.image", model_id: "yolov8n-seg-640" }],
      outputs: [{ type: "JsonField", name: "predictions", selector: "$steps.model.predictions" }],
    });

    it("runs it and returns its detections with their polygons, as the segmentation block finds them", async () => {
      const detected = await run(model("roboflow_core/roboflow_object_detection_model@v2"), { image: photo("bus.jpg") });
      const segmented = await run(model("roboflow_core/roboflow_instance_segmentation_model@v2"), { image: photo("bus.jpg") });
      expect([detected.status, segmented.status]).toEqual([200, 200]);
      const boxes = detected.body.outputs[0].predictions.predictions as Record<string, unknown>[];
      const masks = segmented.body.outputs[0].predictions.predictions as Record<string, unknown>[];
      expect(boxes.map((p) => p["class"])).toEqual(masks.map((p) => p["class"]));
      expect(boxes.map((p) => [p["x"], p["y"], p["width"], p["height"], p["confidence"]])).toEqual(masks.map((p) => [p["x"], p["y"], p["width"], p["height"], p["confidence"]]));
      expect(boxes.map((p) => p["points"])).toEqual(masks.map((p) => p["points"]));
      expect(boxes.length).toBeGreaterThanOrEqual(4);
    });

    it("the other way round, runs a detector in the segmentation block: its boxes, without masks", async () => {
      const detector = (type: string) => ({ ...model(type), steps: [{ ...model(type).steps[0]!, model_id: "yolov8n-640" }] });
      const detected = await run(detector("roboflow_core/roboflow_object_detection_model@v2"), { image: photo("bus.jpg") });
      const segmented = await run(detector("roboflow_core/roboflow_instance_segmentation_model@v2"), { image: photo("bus.jpg") });
      expect([detected.status, segmented.status]).toEqual([200, 200]);
      const boxes = detected.body.outputs[0].predictions.predictions as Record<string, unknown>[];
      const unmasked = segmented.body.outputs[0].predictions.predictions as Record<string, unknown>[];
      expect(unmasked.length).toBeGreaterThanOrEqual(4);
      expect(unmasked).toEqual(boxes.map((p) => ({ ...p, detection_id: expect.any(String) })));
      expect(unmasked.some((p) => "points" in p)).toBe(false);
    });

    it("a block for another task refuses it in a sentence with the right article", async () => {
      const response = await run(model("roboflow_core/roboflow_classification_model@v2"), { image: photo("bus.jpg") });
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe("model_task_mismatch");
      expect(response.body.error.message).toContain('Model "yolov8n-seg-640" is an instance-segmentation model; ');
    });
  },
);

describe("image URLs without an allow-list", () => {
  it("a loopback server is refused (url_not_allowed, loopback)", async () => {
    const server = await import("node:http").then(({ createServer }) => createServer((_, response) => response.writeHead(500).end()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const port = (server.address() as import("node:net").AddressInfo).port;
      const spec = { version: "1.0", inputs: [{ type: "WorkflowImage", name: "image" }], steps: [], outputs: [{ type: "JsonField", name: "image", selector: "$inputs.image" }] };
      const response = await run(spec, { image: { type: "url", value: `http://127.0.0.1:${port}/a.png` } });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: "url_not_allowed", details: { reason: "loopback", host: "127.0.0.1" } });
    } finally {
      server.close();
    }
  });
});
