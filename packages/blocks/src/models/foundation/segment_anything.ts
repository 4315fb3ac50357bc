/**
 * Segment Anything: SAM 2 (v1, and its video tracker), SAM 3 (v1-v3, interactive, video) and
 * SAM 3D Objects — masks for the objects that boxes, points or phrases point at.
 */
import type { FieldSpec } from "@cvflow/engine";
import { booleanField, choiceField, MODEL_IMAGES, modelIdField, numberField, promptBoxesField, unavailableModelBlock } from "../unavailable-model.js";

const MASKS = [{ name: "predictions", kinds: ["instance_segmentation_prediction"] }];

const CLASS_NAMES: FieldSpec = {
  description: "Classes (phrases) to segment: a list, or one comma-separated string.",
  kinds: ["list_of_values", "string"],
  schema: { anyOf: [{ type: "array", items: { type: "string" } }, { type: "string" }] },
  default: null,
};

const LABELED_POINTS: FieldSpec = {
  description: "Labeled points for one object: {x, y, positive} in pixels; positive points include, negative ones exclude.",
  kinds: ["labeled_points"],
  schema: { type: "array" },
  default: null,
};

const PROMPT_INTERVAL: FieldSpec = numberField("For prompt_mode every_n_frames: re-prompt every this many frames.", 30, ["integer"], { type: "integer" });

export const segmentAnything2Block = unavailableModelBlock({
  type: "roboflow_core/segment_anything@v1",
  name: "Segment Anything 2 Model",
  does: "Segment the objects in given boxes (or everything) with SAM 2.",
  model: "Segment Anything 2",
  fields: {
    images: MODEL_IMAGES,
    boxes: promptBoxesField("Boxes (from another model) to turn into masks."),
    version: choiceField("SAM 2 variant.", ["hiera_large", "hiera_small", "hiera_tiny", "hiera_b_plus"], "hiera_tiny"),
    threshold: numberField("Threshold for predicted mask scores.", 0),
    multimask_output: booleanField("Use SAM 2's multimask mode (better for ambiguous prompts).", true),
  },
  outputs: MASKS,
});

export const segmentAnything2VideoBlock = unavailableModelBlock({
  type: "roboflow_core/segment_anything_2_video@v1",
  name: "Segment Anything 2 Video",
  does: "Track objects prompted by boxes through a video's frames with SAM 2's streaming tracker.",
  model: "Segment Anything 2 (video)",
  fields: {
    images: MODEL_IMAGES,
    boxes: promptBoxesField("Boxes to prompt SAM 2 with, read on the frames prompt_mode re-prompts on."),
    model_id: modelIdField("Streaming tracker model.", "sam2video/small"),
    prompt_mode: choiceField("When boxes prompt the tracker.", ["first_frame", "every_n_frames", "every_frame"], "first_frame", []),
    prompt_interval: PROMPT_INTERVAL,
    threshold: numberField("Minimum confidence for emitted masks.", 0),
  },
  outputs: MASKS,
});

const SAM3_MODEL = modelIdField("SAM 3 model (to change for fine-tuned ones only).", "sam3/sam3_final");
const SAM3_NMS: Record<string, FieldSpec> = {
  confidence: numberField("Minimum confidence for predicted masks.", 0.5),
  per_class_confidence: { description: "Confidence threshold per class (as many as class_names).", kinds: ["list_of_values"], schema: { type: "array", items: { type: "number" } }, default: null },
  apply_nms: booleanField("Apply non-maximum suppression across prompts.", true),
  nms_iou_threshold: numberField("IoU threshold of the cross-prompt NMS, in [0, 1].", 0.9),
};

export const sam3V1Block = unavailableModelBlock({
  type: "roboflow_core/sam3@v1",
  name: "SAM 3",
  does: "Segment every instance of the phrases given, with SAM 3.",
  model: "SAM 3",
  fields: { images: MODEL_IMAGES, model_id: SAM3_MODEL, class_names: CLASS_NAMES, threshold: numberField("Threshold for predicted mask scores.", 0.5) },
  outputs: MASKS,
});

export const sam3V2Block = unavailableModelBlock({
  type: "roboflow_core/sam3@v2",
  name: "SAM 3",
  does: "Segment every instance of the phrases given, with SAM 3.",
  model: "SAM 3",
  fields: { images: MODEL_IMAGES, model_id: SAM3_MODEL, class_names: CLASS_NAMES, ...SAM3_NMS },
  outputs: MASKS,
});

export const sam3V3Block = unavailableModelBlock({
  type: "roboflow_core/sam3@v3",
  name: "SAM 3",
  does: "Segment every instance of the phrases given, with SAM 3.",
  model: "SAM 3",
  fields: {
    images: MODEL_IMAGES,
    model_id: SAM3_MODEL,
    class_names: CLASS_NAMES,
    class_mapping: { description: "Class names in predictions mapped to other output names.", kinds: ["dictionary"], schema: { type: "object", additionalProperties: { type: "string" } }, default: null },
    ...SAM3_NMS,
    output_format: choiceField("rle: run-length encoded masks; polygons: polygon coordinates.", ["rle", "polygons"], "rle", []),
  },
  outputs: [{ name: "predictions", kinds: ["rle_instance_segmentation_prediction", "instance_segmentation_prediction"] }],
});

export const sam3InteractiveBlock = unavailableModelBlock({
  type: "roboflow_core/sam3_interactive@v1",
  name: "SAM 3 Interactive",
  does: "Segment the object that points or boxes point at, with SAM 3.",
  model: "SAM 3",
  fields: {
    images: MODEL_IMAGES,
    points: LABELED_POINTS,
    boxes: promptBoxesField("Boxes (from another model) whose objects to segment."),
    threshold: numberField("Minimum confidence for predicted masks.", 0),
    multimask_output: booleanField("Use SAM 3's multimask mode (better for ambiguous prompts).", true),
  },
  outputs: MASKS,
});

export const sam3VideoBlock = unavailableModelBlock({
  type: "roboflow_core/sam3_video@v1",
  name: "SAM 3 Video",
  does: "Segment and track phrases, or objects that points or boxes point at, through a video's frames with SAM 3.",
  model: "SAM 3 (video)",
  fields: {
    images: MODEL_IMAGES,
    tracking_mode: choiceField("concept: text prompts; visual: point or box prompts.", ["concept", "visual"], "concept", []),
    class_names: CLASS_NAMES,
    points: LABELED_POINTS,
    boxes: promptBoxesField("Boxes for visual tracking: one object tracked per box."),
    model_id: modelIdField("Streaming SAM 3 model for concept tracking.", "sam3video"),
    visual_model_id: modelIdField("Streaming SAM 3 model for visual tracking.", "sam3trackervideo"),
    prompt_mode: choiceField("When visual mode reads its prompts.", ["first_frame", "every_n_frames", "every_frame"], "first_frame", []),
    prompt_interval: PROMPT_INTERVAL,
    threshold: numberField("Minimum confidence for emitted masks.", 0.5),
  },
  outputs: MASKS,
});

export const sam3D3ObjectsBlock = unavailableModelBlock({
  type: "roboflow_core/segment_anything3_3d_objects@v1",
  name: "SAM 3D Objects",
  does: "Reconstruct masked objects in 3D (meshes and Gaussian splats) with SAM 3D Objects.",
  model: "SAM 3D Objects",
  fields: {
    images: MODEL_IMAGES,
    mask_input: { description: "Masks: instance segmentation predictions, or a flat list of polygon coordinates.", kinds: ["list_of_values", "instance_segmentation_prediction"], required: true },
  },
  outputs: [
    { name: "mesh_glb", kinds: ["string"], description: "Scene mesh in GLB format (base64)." },
    { name: "gaussian_ply", kinds: ["string"], description: "Combined Gaussian splatting in PLY format (base64)." },
    { name: "objects", kinds: ["list_of_values"], description: "Each object with its mesh_glb, gaussian_ply and metadata." },
    { name: "inference_time", kinds: ["float"] },
  ],
});
