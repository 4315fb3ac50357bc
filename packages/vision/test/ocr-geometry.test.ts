import { describe, expect, it } from "vitest";
import type { RawPixels } from "../src/images/workflow-image.js";
import { meanInsidePolygon } from "../src/tasks/ocr/box-score.js";
import { minAreaRect, orderCorners } from "../src/tasks/ocr/min-area-rect.js";
import { rotate180, textStrip, warpQuad } from "../src/tasks/ocr/perspective-crop.js";
import { convexHull, signedArea, type Point, type Quad } from "../src/tasks/ocr/polygon.js";
import { dominantTurn, readingOrder } from "../src/tasks/ocr/reading-order.js";
import { regionOutlines } from "../src/tasks/ocr/region-outlines.js";
import { offsetConvexPolygon, unclip } from "../src/tasks/ocr/unclip.js";

function expectQuad(actual: Quad, expected: Quad, digits = 6): void {
  actual.forEach(([x, y], i) => {
    expect(x).toBeCloseTo(expected[i]![0], digits);
    expect(y).toBeCloseTo(expected[i]![1], digits);
  });
}

function rectangle(cx: number, cy: number, width: number, height: number, degrees: number): (s: number, t: number) => Point {
  const a = (degrees * Math.PI) / 180;
  return (s, t) => [cx + s * width * Math.cos(a) - t * height * Math.sin(a), cy + s * width * Math.sin(a) + t * height * Math.cos(a)];
}

describe("minAreaRect", () => {
  it("fits an axis-aligned grid of points exactly, corners clockwise from the top-left", () => {
    const points: Point[] = [];
    for (let x = 0; x <= 10; x++) for (let y = 0; y <= 4; y++) points.push([x, y]);
    const rect = minAreaRect(points);
    expectQuad(rect.corners, [[0, 0], [10, 0], [10, 4], [0, 4]]);
    expect(rect.shortSide).toBeCloseTo(4);
  });

  it("finds a rectangle rotated by 30° from points on and inside it", () => {
    const at = rectangle(50, 50, 20, 6, 30);
    const points: Point[] = [];
    for (let s = -0.5; s <= 0.5; s += 0.125) for (let t = -0.5; t <= 0.5; t += 0.25) points.push(at(s, t));
    const rect = minAreaRect(points);
    expect(rect.shortSide).toBeCloseTo(6);
    // The long side points down-right at 30°: it is the top side, the top-left corner is at (-½, -½).
    expectQuad(rect.corners, [at(-0.5, -0.5), at(0.5, -0.5), at(0.5, 0.5), at(-0.5, 0.5)]);
  });

  it("gives a tall box its short side on top", () => {
    const rect = minAreaRect([[0, 0], [5, 0], [5, 40], [0, 40], [2, 20]]);
    expectQuad(rect.corners, [[0, 0], [5, 0], [5, 40], [0, 40]]);
  });

  it("gives collinear points no width", () => {
    expect(minAreaRect([[0, 0], [1, 1], [2, 2], [3, 3]]).shortSide).toBe(0);
    expect(minAreaRect([[7, 7]]).shortSide).toBe(0);
  });

  it("orders corners given counter-clockwise from any corner", () => {
    expectQuad(orderCorners([[10, 4], [10, 0], [0, 0], [0, 4]]), [[0, 0], [10, 0], [10, 4], [0, 4]]);
  });
});

describe("convexHull", () => {
  it("keeps the corners only, with a positive signed area", () => {
    const hull = convexHull([[0, 0], [2, 0], [4, 0], [4, 4], [2, 2], [0, 4], [1, 3]]);
    expect(hull).toHaveLength(4);
    expect(signedArea(hull)).toBeCloseTo(16);
  });
});

describe("unclip", () => {
  const square: Point[] = [[0, 0], [10, 0], [10, 10], [0, 10]];

  it("grows a 10×10 square by area × 1.5 / perimeter = 3.75 on every side, corners rounded", () => {
    const grown = unclip(square, 1.5);
    const rect = minAreaRect(grown);
    expectQuad(rect.corners, [[-3.75, -3.75], [13.75, -3.75], [13.75, 13.75], [-3.75, 13.75]]);
    // Every point is 3.75 from the square; the area is the square, four side bands and a disc.
    for (const [x, y] of grown) {
      const dx = Math.max(0 - x, 0, x - 10);
      const dy = Math.max(0 - y, 0, y - 10);
      expect(Math.hypot(dx, dy)).toBeCloseTo(3.75);
    }
    const expected = 100 + 4 * 10 * 3.75 + Math.PI * 3.75 ** 2;
    expect(Math.abs(signedArea(grown))).toBeGreaterThan(expected * 0.99);
    expect(Math.abs(signedArea(grown))).toBeLessThanOrEqual(expected);
  });

  it("grows outward whichever way the polygon turns", () => {
    const reversed = offsetConvexPolygon([...square].reverse(), 2);
    expect(minAreaRect(reversed).shortSide).toBeCloseTo(14);
  });
});

describe("regionOutlines", () => {
  it("finds 8-connected regions and the ends of their runs", () => {
    // Two pixels touching at a corner are one region; the block on the right is another.
    const width = 8;
    const mask = new Uint8Array(width * 4);
    for (const [x, y] of [[0, 0], [1, 1], [5, 0], [6, 0], [7, 0], [5, 1], [6, 1], [7, 1]]) mask[y! * width + x!] = 1;
    const outlines = regionOutlines(mask, width, 4, 1000);
    expect(outlines).toHaveLength(2);
    expect(outlines[0]).toEqual([[0, 0], [0, 0], [1, 1], [1, 1]]);
    expect(outlines[1]).toEqual([[5, 0], [7, 0], [5, 1], [7, 1]]);
    expect(regionOutlines(mask, width, 4, 1)).toHaveLength(1);
  });
});

describe("meanInsidePolygon", () => {
  it("averages the map over the pixels the polygon covers", () => {
    const width = 10;
    const map = new Float32Array(width * 10);
    for (let y = 2; y <= 5; y++) for (let x = 2; x <= 7; x++) map[y * width + x] = 1;
    expect(meanInsidePolygon(map, width, 10, [[2, 2], [7, 2], [7, 5], [2, 5]])).toBeCloseTo(1);
    // Rows 2..7 of which 2..5 are set.
    expect(meanInsidePolygon(map, width, 10, [[2, 2], [7, 2], [7, 7], [2, 7]])).toBeCloseTo(4 / 6);
  });
});

describe("perspective crop", () => {
  // A gradient that sampling reproduces exactly: R = 5x, G = 7y, B = 100.
  const width = 40, height = 30;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([5 * x, 7 * y, 100], (y * width + x) * 3);
  const image: RawPixels = { data, width, height, channels: 3 };
  const pixel = (p: RawPixels, x: number, y: number) => [...p.data.subarray((y * p.width + x) * 3, (y * p.width + x) * 3 + 3)];

  it("copies an axis-aligned quad", () => {
    const strip = warpQuad(image, [[10, 5], [30, 5], [30, 15], [10, 15]]);
    expect([strip.width, strip.height]).toEqual([20, 10]);
    for (const [x, y] of [[0, 0], [19, 0], [7, 3], [19, 9]]) expect(pixel(strip, x!, y!)).toEqual(pixel(image, 10 + x!, 5 + y!));
  });

  it("maps a trapezoid's corners and keeps its top row on its top side", () => {
    const strip = warpQuad(image, [[12, 4], [28, 4], [36, 20], [4, 20]]);
    expect([strip.width, strip.height]).toEqual([32, 18]);
    expect(pixel(strip, 0, 0)).toEqual(pixel(image, 12, 4));
    for (let x = 0; x < strip.width; x++) expect(pixel(strip, x, 0)[1]).toBe(28);
  });

  it("lays a tall quad on its side, turned 90° counter-clockwise", () => {
    const { strip, turned } = textStrip(image, [[10, 2], [16, 2], [16, 26], [10, 26]]);
    expect(turned).toBe(true);
    expect([strip.width, strip.height]).toEqual([24, 6]);
    // The quad's top-right corner starts the strip, and its right side is the strip's top.
    expect(pixel(strip, 0, 0)).toEqual(pixel(image, 16, 2));
    expect(pixel(strip, 12, 0)).toEqual(pixel(image, 16, 14));
    expect(pixel(strip, 0, 5)).toEqual(pixel(image, 11, 2));
  });

  it("keeps a wide quad as it is", () => {
    expect(textStrip(image, [[10, 5], [30, 5], [30, 15], [10, 15]]).turned).toBe(false);
  });

  it("turns pixels half a turn", () => {
    const turned = rotate180({ data: new Uint8Array([1, 2, 3, 4, 5, 6]), width: 3, height: 2, channels: 1 });
    expect([...turned.data]).toEqual([6, 5, 4, 3, 2, 1]);
  });
});

describe("readingOrder", () => {
  const box = (x: number, y: number, w = 40, h = 20): Quad => [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
  const ids = (quads: Record<string, Quad>, turn: 0 | 90 | 180 | 270) =>
    readingOrder(Object.keys(quads), (id) => quads[id]!, turn, 300, 300).join(" ");

  it("reads rows top to bottom and left to right within a row", () => {
    // b sits 4 px higher than a but on the same row; c is a row below.
    expect(ids({ c: box(10, 60), a: box(10, 14), b: box(120, 10) }, 0)).toBe("a b c");
  });

  it("reads a page turned on its side in its own frame", () => {
    // Columns of vertical text whose lines run bottom to top: the page's top is the image's left.
    const column = (x: number, y: number) => box(x, y, 20, 120);
    const page = { second: column(60, 100), first: column(20, 90), third: column(100, 95) };
    expect(ids(page, 270)).toBe("first second third");
    expect(ids(page, 90)).toBe("third second first");
  });

  it("takes the page's turn from most lines, ties to the smaller turn", () => {
    expect(dominantTurn([270, 270, 0, 90])).toBe(270);
    expect(dominantTurn([90, 0])).toBe(0);
    expect(dominantTurn([])).toBe(0);
  });
});
