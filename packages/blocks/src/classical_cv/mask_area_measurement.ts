/**
 * Mask Area Measurement: each detection's area in square pixels — its mask's set pixels (a hole
 * counts nothing), or, for detections with a polygon but no mask (predictions read from JSON), the
 * pixels of that polygon filled as supervision fills it; the box's area when there is neither or
 * the mask is empty — and that area over pixels_per_unit² (1 when pixels_per_unit is not
 * positive), as `area_px` and `area_converted`, Roboflow's keys.
 */
import { defineBlock, type Detections } from "@cvflow/engine";
import { BOX_KINDS } from "../analytics/analytics-fields.js";
import { detectionRegion, regionArea } from "../visualizations/draw/region.js";

interface MaskAreaParams {
  [key: string]: unknown;
  predictions: Detections;
  pixels_per_unit: number;
}

/** Set pixels of the detection's mask (or filled polygon); 0 without either. */
function maskPixels(d: Detections, i: number): number {
  const region = detectionRegion(d, i);
  return region ? regionArea(region) : 0;
}

export const maskAreaMeasurementBlock = defineBlock<MaskAreaParams>({
  manifest: {
    type: "roboflow_core/mask_area_measurement@v1",
    name: "Mask Area Measurement",
    description: "Measure the area of detected objects and optionally convert to real-world units.",
    family: "classical_cv",
    fields: {
      predictions: { description: "Detections to measure: a mask's set pixels, else the box's area.", kinds: BOX_KINDS, required: true },
      pixels_per_unit: {
        description: "Pixels per real-world unit of length (e.g. per cm): area_converted = area_px / pixels_per_unit². 1: no conversion.",
        kinds: ["float"],
        schema: { type: "number" },
        default: 1.0,
      },
    },
    outputs: [{ name: "predictions", kinds: BOX_KINDS, description: "The detections with area_px and area_converted." }],
  },
  run({ predictions, pixels_per_unit }) {
    const areas = Array.from({ length: predictions.length }, (_, i) => {
      const pixels = maskPixels(predictions, i);
      if (pixels > 0) return pixels;
      const [x1, y1, x2, y2] = predictions.box(i);
      return (x2 - x1) * (y2 - y1);
    });
    const scale = pixels_per_unit > 0 ? pixels_per_unit ** 2 : 1;
    return {
      predictions: predictions.withData("area_px", areas).withData("area_converted", areas.map((a) => a / scale)),
    };
  },
});
