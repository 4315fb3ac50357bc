import sharp, { type Sharp } from "sharp";
import { describe, expect, it } from "vitest";
import { Detections } from "@cvflow/engine";
import { inputLineage, WorkflowImage } from "@cvflow/vision";
import { missing, sharedPhoto } from "@cvflow/vision/test-assets";
import { boundingBoxVisualizationBlock } from "../src/visualizations/bounding_box.js";
import { labelVisualizationBlock } from "../src/visualizations/label.js";
import { changedPixels, visualize } from "./visualization-fixtures.js";

const BUS = sharedPhoto("bus.jpg");

async function decode(pipeline: Sharp): Promise<WorkflowImage> {
  const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return new WorkflowImage({ data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 }, inputLineage("bus"));
}

/** A bus and four people, roughly where a detector finds them in bus.jpg (810 x 1080). */
const BOXES = [
  [17, 231, 802, 768, 5, "bus"],
  [48, 398, 245, 902, 0, "person"],
  [670, 380, 809, 875, 0, "person"],
  [221, 405, 344, 857, 0, "person"],
  [0, 550, 63, 873, 0, "person"],
] as const;

function busDetections(): Detections {
  return new Detections({
    image: { width: 810, height: 1080 },
    xyxy: BOXES.flatMap((b) => b.slice(0, 4) as number[]),
    confidence: BOXES.map(() => 0.9),
    classId: BOXES.map((b) => b[4]),
    className: BOXES.map((b) => b[5]),
  });
}

describe.skipIf(missing("visualizations on a photo", { photos: ["bus.jpg"] }))("visualizations on a photo", () => {
  it("bounding boxes: same size, and only pixels within a pixel of a box edge change", async () => {
    const image = await decode(sharp(BUS));
    const out = await visualize(boundingBoxVisualizationBlock, { image, predictions: busDetections() });
    expect([out.width, out.height, out.channels]).toEqual([810, 1080, 3]);
    const changed = changedPixels(image, out);
    expect(changed.length).toBeGreaterThan(1000);
    const nearEdge = ([x, y]: [number, number]) =>
      BOXES.some(([x1, y1, x2, y2]) => {
        const inX = x >= x1 - 1 && x <= x2 + 1;
        const inY = y >= y1 - 1 && y <= y2 + 1;
        return (inX && (Math.abs(y - y1) <= 1 || Math.abs(y - y2) <= 1)) || (inY && (Math.abs(x - x1) <= 1 || Math.abs(x - x2) <= 1));
      });
    expect(changed.filter((p) => !nearEdge(p))).toEqual([]);
  });

  it("labels: only pixels in a label's box, standing on its detection's top-left corner", async () => {
    const image = await decode(sharp(BUS));
    const out = await visualize(labelVisualizationBlock, { image, predictions: busDetections(), text: "Class and Confidence" });
    const changed = changedPixels(image, out);
    expect(changed.length).toBeGreaterThan(1000);
    // Box height 22 + 2 x 10; the text is narrower than 200 pixels.
    const inLabel = ([x, y]: [number, number]) => BOXES.some(([x1, y1]) => x >= x1 && x <= x1 + 200 && y >= y1 - 42 && y <= y1);
    expect(changed.filter((p) => !inLabel(p))).toEqual([]);
  });
});
