/**
 * Detections predicted on a piece of an image (a slice, a crop) moved onto the image the piece was
 * cut from: boxes, polygons (`points`), keypoints and masks shift by the piece's offset; masks keep
 * their bytes unless they spill over the image's edge.
 */
import type { Detections, ImageSize } from "@cvflow/engine";
import { moveMask } from "@cvflow/vision";

/** `offset(i)`: where detection i's piece sits in the image of `size`, as [dx, dy]. */
export function moveDetections(d: Detections, offset: (i: number) => [number, number], size: ImageSize): Detections {
  const xyxy = new Float64Array(d.xyxy.length);
  for (let i = 0; i < d.length; i++) {
    const [dx, dy] = offset(i);
    const [x1, y1, x2, y2] = d.box(i);
    xyxy.set([x1 + dx, y1 + dy, x2 + dx, y2 + dy], i * 4);
  }
  const data: Record<string, readonly unknown[]> = { ...d.data };
  const points = data["points"];
  if (points) {
    data["points"] = points.map((p, i) => {
      const [dx, dy] = offset(i);
      return Array.isArray(p) ? (p as { x: number; y: number }[]).map((q) => ({ ...q, x: q.x + dx, y: q.y + dy })) : p;
    });
  }
  return d.with({
    image: size,
    xyxy,
    masks: d.masks?.map((m, i) => (m ? moveMask(m, ...offset(i), size) : null)),
    keypoints: d.keypoints?.map((kps, i) => {
      const [dx, dy] = offset(i);
      return kps ? kps.map((k) => ({ ...k, x: k.x + dx, y: k.y + dy })) : null;
    }),
    data,
  });
}
