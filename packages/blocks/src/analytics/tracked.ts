/** The tracker ids analytics blocks key their per-object state by. */
import type { Detections } from "@cvflow/engine";
import { TRACKER_ID_KEY } from "@cvflow/engine";
import { untrackedDetections } from "../errors.js";

/**
 * Each detection's tracker id (null for one no tracker has seen). Detections that never went
 * through a tracker are refused, as Roboflow's blocks refuse a `tracker_id` of None; an empty frame
 * passes, whatever made it.
 */
export function trackerIds(detections: Detections, blockType: string): (number | null)[] {
  if (detections.length > 0 && !(TRACKER_ID_KEY in detections.data)) throw untrackedDetections(blockType);
  return Array.from({ length: detections.length }, (_, i) => detections.trackerId(i));
}
