/** Detection Offset: pads every box by a fixed number of pixels or a percentage of its own size. */
import { defineBlock, DETECTION_KINDS, type Detections } from "@cvflow/engine";

const PERCENT = "Percent (%)";

interface DetectionOffsetParams {
  [key: string]: unknown;
  predictions: Detections;
  offset_width: number;
  offset_height: number;
  units: typeof PERCENT | "Pixels";
}

export const detectionOffsetBlock = defineBlock<DetectionOffsetParams>({
  manifest: {
    type: "roboflow_core/detection_offset@v1",
    aliases: ["DetectionOffset"],
    name: "Detection Offset",
    description: "Apply a padding around the width and height of detections.",
    family: "transformations",
    fields: {
      predictions: {
        description: "Detections whose boxes are padded.",
        kinds: DETECTION_KINDS,
        required: true,
      },
      offset_width: {
        description: "Added to each box's width, half on either side (pixels, or percent of the box's width).",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        aliases: ["offset_x"],
        required: true,
      },
      offset_height: {
        description: "Added to each box's height, half above and half below (pixels, or percent of the box's height).",
        kinds: ["integer"],
        schema: { type: "integer", minimum: 1 },
        aliases: ["offset_y"],
        required: true,
      },
      units: {
        description: "Whether the offsets are pixels or percentages of each box's size.",
        schema: { enum: [PERCENT, "Pixels"] },
        default: "Pixels",
      },
    },
    outputs: [{ name: "predictions", kinds: DETECTION_KINDS }],
  },
  run({ predictions, offset_width, offset_height, units }) {
    const { width, height } = predictions.image;
    const xyxy = new Float64Array(predictions.xyxy.length);
    for (let i = 0; i < predictions.length; i++) {
      const [x1, y1, x2, y2] = predictions.box(i);
      // Pads are whole pixels: the pixel offset is floored in half, the percentage truncated.
      const padX = units === PERCENT ? Math.trunc(((x2 - x1) * offset_width) / 200) : Math.floor(offset_width / 2);
      const padY = units === PERCENT ? Math.trunc(((y2 - y1) * offset_height) / 200) : Math.floor(offset_height / 2);
      // An image of unknown size (0, e.g. detections read from JSON without it) clips only at 0.
      xyxy.set(
        [
          Math.max(0, x1 - padX),
          Math.max(0, y1 - padY),
          width > 0 ? Math.min(width, x2 + padX) : x2 + padX,
          height > 0 ? Math.min(height, y2 + padY) : y2 + padY,
        ],
        i * 4,
      );
    }
    // The padded boxes are new detections derived from the originals.
    return {
      predictions: predictions.with({
        xyxy,
        parentId: predictions.detectionId,
        detectionId: predictions.detectionId.map(() => crypto.randomUUID()),
      }),
    };
  },
});
