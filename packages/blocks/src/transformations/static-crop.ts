/**
 * The crop both static-crop blocks take: a rectangle given by its centre and size, turned into
 * whole pixels the way the reference implementation does (Python's round, ties to even), cut
 * from the image as a child image with a fresh id. An empty crop is null.
 */
import type { WorkflowImage } from "@cvflow/vision";
import { roundHalfEven } from "../common/python-numbers.js";

export function staticCrop(image: WorkflowImage, xCenter: number, yCenter: number, width: number, height: number, idPrefix: string): WorkflowImage | null {
  const left = roundHalfEven(xCenter - width / 2);
  const top = roundHalfEven(yCenter - height / 2);
  const right = roundHalfEven(left + width);
  const bottom = roundHalfEven(top + height);
  // Clipped to the image; the reference slices a numpy array, where a negative start would wrap around instead.
  const x1 = Math.max(0, left);
  const y1 = Math.max(0, top);
  const x2 = Math.min(image.width, right);
  const y2 = Math.min(image.height, bottom);
  if (x2 <= x1 || y2 <= y1) return null;
  // A static crop of a video frame is a frame too (Roboflow's preserve_video_metadata).
  return image.crop(x1, y1, x2, y2, `${idPrefix}.${crypto.randomUUID()}`, true);
}
