/** Polygon Zone, Line Counter and Reference Path Visualization on a photo: the colour where the geometry is, nothing elsewhere. */
import { describe, expect, it } from "vitest";
import type { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { renderText, textHeight } from "../src/visualizations/draw/text.js";
import { lineZoneVisualizationBlock } from "../src/visualizations/line_zone.js";
import { polygonZoneVisualizationBlock } from "../src/visualizations/polygon_zone.js";
import { referencePathVisualizationBlock } from "../src/visualizations/reference_path.js";
import { photo } from "./image-fixtures.js";
import { changedPixels, pixel, visualize } from "./visualization-fixtures.js";

/** rgb(200, 100, 0) at opacity 0.5 adds exactly [100, 50, 0]: no rounding ties to argue about. */
const COLOR = "rgb(200, 100, 0)";
const ADDED = [100, 50, 0];

function plusAdded(before: WorkflowImage, x: number, y: number): number[] {
  return pixel(before, x, y).map((v, c) => Math.min(255, v + ADDED[c]!));
}

describe.skipIf(missing("zone visualizations on a photo", { photos: ["bus.jpg"] }))("zone visualizations on a photo", () => {
  it("polygon zone: the colour is added inside the polygon and its edge, every other pixel kept", async () => {
    const image = await photo("bus.jpg");
    const out = await visualize(polygonZoneVisualizationBlock, { image, zone: [[100, 100], [400, 100], [400, 300], [100, 300]], color: COLOR, opacity: 0.5 });
    expect(pixel(out, 250, 200)).toEqual(plusAdded(image, 250, 200));
    expect(pixel(out, 100, 100)).toEqual(plusAdded(image, 100, 100));
    expect(pixel(out, 400, 300)).toEqual(plusAdded(image, 400, 300));
    expect(pixel(out, 401, 200)).toEqual(pixel(image, 401, 200));
    const changed = changedPixels(image, out);
    expect(changed.length).toBeGreaterThan(50_000);
    expect(changed.filter(([x, y]) => x < 100 || x > 400 || y < 100 || y > 300)).toEqual([]);
    // The input is untouched (copy_image defaults to true).
    expect(changedPixels(image, await photo("bus.jpg"))).toEqual([]);
  });

  it("polygon zones: several polygons fill as cv2.fillPoly does, their overlap left out (even-odd)", async () => {
    const image = await photo("bus.jpg");
    const a = [[100, 100], [300, 100], [300, 300], [100, 300]];
    const b = [[200, 200], [400, 200], [400, 400], [200, 400]];
    const out = await visualize(polygonZoneVisualizationBlock, { image, zone: [a, b], color: COLOR, opacity: 0.5 });
    expect(pixel(out, 150, 150)).toEqual(plusAdded(image, 150, 150));
    expect(pixel(out, 350, 350)).toEqual(plusAdded(image, 350, 350));
    expect(pixel(out, 250, 250)).toEqual(pixel(image, 250, 250));
    // Both outlines are drawn, also across the overlap.
    expect(pixel(out, 250, 200)).toEqual(plusAdded(image, 250, 200));
  });

  it("polygon zone: an empty zone leaves the image as it is", async () => {
    const image = await photo("bus.jpg");
    const out = await visualize(polygonZoneVisualizationBlock, { image, zone: [] });
    expect(changedPixels(image, out)).toEqual([]);
  });

  it("line counter: the line added at opacity, 'in: 3, out: 5' black on white centred on its first point", async () => {
    const image = await photo("bus.jpg");
    const out = await visualize(lineZoneVisualizationBlock, { image, zone: [[100, 500], [700, 500]], color: COLOR, opacity: 0.5, count_in: 3, count_out: 5 });
    const label = await renderText("in: 3, out: 5", 1, 1);
    const height = textHeight(1, 1);
    const [left, top] = [100 - Math.floor(label.width / 2), 500 - Math.floor(height / 2)];
    // The box, and the text's ink, which may reach below it (the comma's tail, as with cv2.putText).
    const inkTop = 500 + Math.floor(height / 2) - label.baseline;
    const inLabel = ([x, y]: [number, number]) => x >= left && x <= left + label.width && y >= Math.min(top, inkTop) && y <= Math.max(top + height, inkTop + label.height);
    // Thickness 2 is 3 pixels wide (cv2): rows 498..502 at most with the round caps.
    const onLine = ([x, y]: [number, number]) => x >= 98 && x <= 702 && y >= 498 && y <= 502;
    expect(pixel(out, 600, 500)).toEqual(plusAdded(image, 600, 500));
    expect(pixel(out, 600, 505)).toEqual(pixel(image, 600, 505));
    // The box is white where the text's ink is not; the ink is black.
    const box = (label.width + 1) * (height + 1);
    const labelPixels = changedPixels(image, out).filter(inLabel).map(([x, y]) => pixel(out, x, y));
    expect(labelPixels.filter((p) => p.every((v) => v === 255)).length).toBeGreaterThan(box / 2);
    expect(labelPixels.filter((p) => p.every((v) => v === 0)).length).toBeGreaterThan(50);
    expect(changedPixels(image, out).filter((p) => !inLabel(p) && !onLine(p))).toEqual([]);
  });

  it("reference path: an open polyline in the colour, nothing off its segments", async () => {
    const image = await photo("bus.jpg");
    const path = [[10, 10], [200, 10], [200, 150]];
    const out = await visualize(referencePathVisualizationBlock, { image, reference_path: path, color: "rgb(255, 0, 255)", thickness: 5 });
    for (const [x, y] of [[100, 10], [100, 13], [200, 80], [203, 80], [10, 10]]) expect(pixel(out, x!, y!)).toEqual([255, 0, 255]);
    expect(pixel(out, 100, 14)).toEqual(pixel(image, 100, 14));
    // Open: no closing segment from (200, 150) back to (10, 10).
    expect(pixel(out, 105, 80)).toEqual(pixel(image, 105, 80));
    const nearPath = ([x, y]: [number, number]) => (y <= 13 && x >= 7 && x <= 203) || (x >= 197 && x <= 203 && y >= 7 && y <= 153);
    const changed = changedPixels(image, out);
    expect(changed.length).toBeGreaterThan(2000);
    expect(changed.filter((p) => !nearPath(p))).toEqual([]);
  });
});
