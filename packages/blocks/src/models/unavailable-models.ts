/** Every model block that compiles here but whose model cvflow lacks (unavailable-model.ts), for core-blocks.ts. */
import type { Block } from "@cvflow/engine";
import { clipBlock, clipComparisonV1Block, clipComparisonV2Block } from "./foundation/clip.js";
import { cogVlmBlock } from "./foundation/cog_vlm.js";
import { depthEstimationBlock } from "./foundation/depth_estimation.js";
import { easyOcrBlock } from "./foundation/easy_ocr.js";
import { florence2V1Block, florence2V2Block } from "./foundation/florence_2.js";
import { gazeBlock } from "./foundation/gaze.js";
import { cosmos3EdgeBlock, glmOcrBlock, moondream2Block, qwen25VlBlock, qwen35VlV1Block, qwen35VlV2Block, qwen3VlBlock, smolVlm2Block } from "./foundation/local_vlms.js";
import { perceptionEncoderBlock } from "./foundation/perception_encoder.js";
import {
  sam3D3ObjectsBlock,
  sam3InteractiveBlock,
  sam3V1Block,
  sam3V2Block,
  sam3V3Block,
  sam3VideoBlock,
  segmentAnything2Block,
  segmentAnything2VideoBlock,
} from "./foundation/segment_anything.js";
import { yoloWorldBlock } from "./foundation/yolo_world.js";
import { semanticSegmentationModelV1Block, semanticSegmentationModelV2Block } from "./semantic_segmentation.js";

export const unavailableModelBlocks: readonly Block[] = [
  clipBlock,
  clipComparisonV1Block,
  clipComparisonV2Block,
  perceptionEncoderBlock,
  cogVlmBlock,
  cosmos3EdgeBlock,
  depthEstimationBlock,
  easyOcrBlock,
  florence2V1Block,
  florence2V2Block,
  gazeBlock,
  glmOcrBlock,
  moondream2Block,
  qwen25VlBlock,
  qwen3VlBlock,
  qwen35VlV1Block,
  qwen35VlV2Block,
  smolVlm2Block,
  yoloWorldBlock,
  segmentAnything2Block,
  segmentAnything2VideoBlock,
  sam3V1Block,
  sam3V2Block,
  sam3V3Block,
  sam3InteractiveBlock,
  sam3VideoBlock,
  sam3D3ObjectsBlock,
  semanticSegmentationModelV1Block,
  semanticSegmentationModelV2Block,
] as Block[];
