/**
 * A workflow whose outputs are what a detection workflow's summary shows — detections, an image, a
 * count — from core blocks only: the detections and the count are parameters answered back, the
 * image is the input blurred.
 */
export const DETECTIONS = {
  image: { width: 768, height: 576 },
  predictions: [
    { x: 200, y: 300, width: 100, height: 120, confidence: 0.954, class: "dog", class_id: 16, detection_id: "d1", parent_id: "image" },
    { x: 400, y: 200, width: 300, height: 200, confidence: 0.885, class: "bicycle", class_id: 1, detection_id: "d2", parent_id: "image" },
  ],
};

export const SUMMARY_WORKFLOW = {
  version: "1.0",
  inputs: [
    { type: "WorkflowImage", name: "image" },
    { type: "WorkflowParameter", name: "detections", default_value: DETECTIONS },
    { type: "WorkflowParameter", name: "count", default_value: 2 },
  ],
  steps: [
    { type: "roboflow_core/property_definition@v1", name: "detected", data: "$inputs.detections", operations: [] },
    { type: "roboflow_core/image_blur@v1", name: "blur", image: "$inputs.image" },
    { type: "roboflow_core/property_definition@v1", name: "counted", data: "$inputs.count", operations: [] },
  ],
  outputs: [
    { type: "JsonField", name: "predictions", selector: "$steps.detected.output" },
    { type: "JsonField", name: "annotated", selector: "$steps.blur.image" },
    { type: "JsonField", name: "count", selector: "$steps.counted.output" },
  ],
};
