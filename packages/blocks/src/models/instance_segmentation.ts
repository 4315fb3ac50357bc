/**
 * Instance Segmentation Model (v1 to v4): detections with a mask each (Detections `masks`) and the
 * mask's outline as the wire format's `points`.
 */
import { defineBlock, type FieldSpec } from "@cvflow/engine";
import { runDetectionModel, type DetectionModelParams } from "./detection-model.js";
import {
  ACTIVE_LEARNING_FIELDS,
  confidenceField,
  confidenceModeFields,
  DEFAULT_CONFIDENCE,
  IMAGES_FIELD,
  MODEL_ID_FIELD,
  modelOutputs,
  NMS_FIELDS,
} from "./fields.js";

const MASK_DECODING_FIELDS: Record<string, FieldSpec> = {
  mask_decode_mode: {
    description: "Roboflow's mask decoding speed/accuracy setting. Accepted for compatibility; masks are always decoded at full resolution here.",
    kinds: ["string"],
    schema: { enum: ["accurate", "tradeoff", "fast"] },
    default: "accurate",
  },
  tradeoff_factor: {
    description: 'How far "tradeoff" mask decoding leans towards fast. Accepted for compatibility; does nothing here.',
    kinds: ["float_zero_to_one"],
    schema: { type: "number", minimum: 0, maximum: 1 },
    default: 0,
  },
};

const DENSE_MASKS_FIELD: FieldSpec = {
  description: "Roboflow's dense-mask switch for its inference-models backend. Accepted for compatibility; does nothing here.",
  kinds: ["boolean"],
  schema: { type: "boolean" },
  default: true,
};

function instanceSegmentationBlock(version: 1 | 2 | 3 | 4, aliases: string[], extra: Record<string, FieldSpec>) {
  // v4 answers in Roboflow's RLE mask kind too; here its masks travel as polygons (`points`) like the others.
  const kinds = version === 4 ? ["rle_instance_segmentation_prediction", "instance_segmentation_prediction"] : ["instance_segmentation_prediction"];
  return defineBlock<DetectionModelParams>({
    manifest: {
      type: `roboflow_core/roboflow_instance_segmentation_model@v${version}`,
      aliases,
      name: "Instance Segmentation Model",
      description: "Predict the shape, size, and location of objects.",
      family: "models",
      fields: { images: IMAGES_FIELD, model_id: MODEL_ID_FIELD, ...NMS_FIELDS, ...MASK_DECODING_FIELDS, ...ACTIVE_LEARNING_FIELDS, ...extra },
      outputs: modelOutputs(version, kinds),
    },
    runBatch: (params, ctx) => runDetectionModel(params, ctx, "instance-segmentation", version > 1),
  });
}

const confidence = { confidence: confidenceField(DEFAULT_CONFIDENCE) };
const confidenceMode = confidenceModeFields(["best", "default", "custom"], "best", DEFAULT_CONFIDENCE);

export const instanceSegmentationModelV1Block = instanceSegmentationBlock(1, ["RoboflowInstanceSegmentationModel", "InstanceSegmentationModel"], confidence);

export const instanceSegmentationModelV2Block = instanceSegmentationBlock(2, [], confidence);

export const instanceSegmentationModelV3Block = instanceSegmentationBlock(3, [], {
  ...confidenceMode,
  enforce_dense_masks_in_inference_models: DENSE_MASKS_FIELD,
});

export const instanceSegmentationModelV4Block = instanceSegmentationBlock(4, [], confidenceMode);
