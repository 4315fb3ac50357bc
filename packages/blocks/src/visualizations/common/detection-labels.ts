/**
 * The label text of each detection for Label Visualization's `text` option, formatted as
 * Roboflow's Python does (two-decimal confidences, truncated dimensions, ...). v1 and v2 differ
 * in two modes: v1 shows "No Tracker ID" for a tracker id of 0 and mask areas as bare numbers.
 */
import type { Detections } from "@cvflow/engine";
import { invalidDrawing } from "../../errors.js";
import { fixedDigits, floatRepr, roundHalfEven } from "../../common/python-numbers.js";
import { pyStr, pyTruthy } from "../../uql/python-values.js";
import { detectionRegion, regionArea } from "../draw/region.js";

export const LABEL_TEXTS = [
  "Class",
  "Confidence",
  "Class and Confidence",
  "Index",
  "Dimensions",
  "Area",
  "Area (mask)",
  "Area (converted)",
  "Tracker Id",
  "Time In Zone",
] as const;

export type LabelVersion = "v1" | "v2";

export function detectionLabels(d: Detections, text: string, version: LabelVersion): string[] {
  const rows = Array.from({ length: d.length }, (_, i) => i);
  const column = (key: string): readonly unknown[] | undefined => d.data[key];
  switch (text) {
    case "Class":
      return [...d.className];
    case "Confidence":
      return rows.map((i) => fixed2(d.confidence[i]!));
    case "Class and Confidence":
      return rows.map((i) => `${d.className[i]} ${fixed2(d.confidence[i]!)}`);
    case "Index":
      return rows.map(String);
    case "Dimensions":
      return rows.map((i) => {
        const [x1, y1, x2, y2] = d.box(i);
        return `${Math.trunc((x1 + x2) / 2)}, ${Math.trunc((y1 + y2) / 2)} ${Math.trunc(x2 - x1)}x${Math.trunc(y2 - y1)}`;
      });
    case "Area":
      return rows.map((i) => String(Math.trunc(svArea(d, i))));
    case "Tracker Id": {
      const ids = column("tracker_id");
      const shown = (t: unknown): boolean => (version === "v1" ? pyTruthy(t) : t !== null && t !== undefined);
      return rows.map((i) => (shown(ids?.[i]) ? pyStr(ids![i]) : "No Tracker ID"));
    }
    case "Time In Zone": {
      const times = column("time_in_zone");
      return rows.map((i) => {
        const t = times?.[i];
        return typeof t === "number" && t !== 0 ? `In zone: ${floatRepr(roundHalfEven(t, 2))}s` : "In zone: N/A";
      });
    }
    case "Area (mask)":
      return rows.map((i) => areaLabel(column("area_px")?.[i], "Area (mask)", version));
    case "Area (converted)":
      return rows.map((i) => areaLabel(column("area_converted")?.[i], "Area (conv)", version));
    default: {
      // Any other text names a data column of the predictions.
      const values = column(text);
      if (!values) throw invalidDrawing("invalid_label_text", `Invalid text type: ${JSON.stringify(text)}`);
      return values.map((v) => (pyTruthy(v) ? pyStr(v) : ""));
    }
  }
}

function areaLabel(area: unknown, name: string, version: LabelVersion): string {
  if (typeof area !== "number") return `${name}: N/A`;
  return version === "v1" ? floatRepr(roundHalfEven(area, 2)) : `${name}: ${fixed2(area)}`;
}

/** Python's f"{x:.2f}". */
function fixed2(x: number): string {
  return `${x < 0 ? "-" : ""}${fixedDigits(Math.abs(x), 2)}`;
}

/** sv.Detections.area: the mask's pixel count where there are masks, else the box's area. */
function svArea(d: Detections, i: number): number {
  const region = detectionRegion(d, i);
  return region ? regionArea(region) : d.area(i);
}
