/**
 * A detector's raw outputs → DetectionResult, by the registry's `decoder`: candidates, then the
 * shared selection (detection.ts), then masks for segmentation models when asked for.
 */
import { checkRunMasks } from "../images/run-image-budget.js";
import { windowPixels } from "../masks/bit-masks.js";
import type { DetectionParams, DetectionResult, ModelSpec } from "../models/types.js";
import { confidenceOf, detectionResult, selectDetections, type Candidates } from "./detection.js";
import { decodeUltraface } from "./faces.js";
import type { ModelOutput } from "./model-tensors.js";
import type { InputTransform } from "./preprocess.js";
import { boxPixels, instanceMask, type Prototypes } from "./segmentation.js";
import { decodeYolov8 } from "./yolov8.js";
import { decodeYolox } from "./yolox.js";

const DETECTION_DECODERS = ["yolov8", "yolov8-seg", "yolox", "ultraface"] as const;

export function decodeDetections(
  spec: ModelSpec,
  outputs: readonly ModelOutput[],
  transform: InputTransform,
  image: { width: number; height: number },
  params: DetectionParams | undefined,
  withMasks: boolean,
): DetectionResult {
  const confidence = confidenceOf(params);
  const { width, height } = image;
  let candidates: Candidates;
  switch (spec.decoder) {
    case "yolov8":
    case "yolov8-seg": {
      const head = outputs.find((output) => output.dims.length === 3)!;
      const protos = outputs.find((output) => output.dims.length === 4);
      const [, rows = 0, anchors = 0] = head.dims;
      const coefficientRows = protos?.dims[1] ?? 0;
      const yolo = { data: head.data, rows, anchors, classes: rows - 4 - coefficientRows };
      candidates = decodeYolov8(yolo, transform, width, height, confidence);
      const chosen = selectDetections(candidates, spec.classes, params);
      const result = detectionResult(candidates, chosen, spec.classes);
      if (!withMasks || !protos) return result;
      const [, channels = 0, protoHeight = 0, protoWidth = 0] = protos.dims;
      const prototypes: Prototypes = { data: protos.data, channels, height: protoHeight, width: protoWidth };
      const firstRow = 4 + yolo.classes;
      // All of them must fit in the run's budget before the first is made (300 masks of boxes
      // nearly the whole of a 40-megapixel image would be 12 GB).
      const pixels = chosen.reduce((sum, _, k) => sum + windowPixels(boxPixels(result.boxes.subarray(k * 4, k * 4 + 4), image), image), 0);
      checkRunMasks(pixels, `${chosen.length} masks`);
      const instances = chosen.map((candidate, k) => {
        const anchor = candidates.anchors[candidate]!;
        const coefficients = Float32Array.from({ length: channels }, (_, c) => head.data[(firstRow + c) * anchors + anchor]!);
        return instanceMask(coefficients, prototypes, result.boxes.subarray(k * 4, k * 4 + 4), transform, image, spec.input);
      });
      return { ...result, masks: instances.map((instance) => instance.mask), polygons: instances.map((instance) => instance.polygon) };
    }
    case "yolox": {
      const [output] = outputs;
      const [, anchors = 0, columns = 0] = output!.dims;
      const yolox = { data: output!.data, anchors, classes: columns - 5, inputWidth: spec.input.width, inputHeight: spec.input.height };
      candidates = decodeYolox(yolox, transform, width, height, confidence);
      break;
    }
    case "ultraface": {
      const scores = outputs.find((output) => output.dims.at(-1) === 2)!;
      const boxes = outputs.find((output) => output.dims.at(-1) === 4)!;
      candidates = decodeUltraface(scores.data, boxes.data, width, height, confidence);
      break;
    }
    default:
      throw new Error(`"${spec.decoder}" is not a detection decoder (${DETECTION_DECODERS.join(", ")})`);
  }
  return detectionResult(candidates, selectDetections(candidates, spec.classes, params), spec.classes);
}
