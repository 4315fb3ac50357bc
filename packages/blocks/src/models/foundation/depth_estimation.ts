/** Depth Estimation (v1): a depth map per image (Depth Anything, YOLO26 depth). */
import { choiceField, MODEL_IMAGES, unavailableModelBlock } from "../unavailable-model.js";

export const depthEstimationBlock = unavailableModelBlock({
  type: "roboflow_core/depth_estimation@v1",
  name: "Depth Estimation",
  does: "Estimate each pixel's depth, as a coloured image and a normalized depth array.",
  model: "a depth estimation model",
  fields: {
    images: MODEL_IMAGES,
    model_version: choiceField(
      "The depth estimation model.",
      ["depth-anything-v2/small", "depth-anything-v3/small", "depth-anything-v3/base", "yolo26n-depth-768", "yolo26s-depth-768", "yolo26m-depth-768", "yolo26l-depth-768", "yolo26x-depth-768"],
      "depth-anything-v3/small",
    ),
  },
  outputs: [
    { name: "image", kinds: ["image"] },
    { name: "normalized_depth", kinds: ["numpy_array"] },
  ],
});
