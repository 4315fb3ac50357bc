/**
 * From DB's probability map to text quads in image pixels: threshold, regions, minimum-area
 * rectangles, score filter, unclip. PaddleOCR's PP-OCR defaults.
 */
import { meanInsidePolygon } from "./box-score.js";
import { minAreaRect } from "./min-area-rect.js";
import { distance, type Point, type Quad } from "./polygon.js";
import { regionOutlines } from "./region-outlines.js";
import { unclip } from "./unclip.js";

const PIXEL_THRESHOLD = 0.3;
const BOX_THRESHOLD = 0.6;
const UNCLIP_RATIO = 1.5;
const MAX_CANDIDATES = 1000;
/** Regions thinner than this (map pixels) are noise; after unclip the bar is 2 higher. */
const MIN_SIZE = 3;
/** Quads thinner or shorter than this in the image are dropped. */
const MIN_SIDE_IN_IMAGE = 3;

/** `map` is mapWidth × mapHeight, the network input's size; the image is what it was resized from. */
export function textQuadsFromMap(
  map: Float32Array,
  mapWidth: number,
  mapHeight: number,
  imageWidth: number,
  imageHeight: number,
): Quad[] {
  const mask = new Uint8Array(map.length);
  for (let i = 0; i < map.length; i++) mask[i] = map[i]! > PIXEL_THRESHOLD ? 1 : 0;
  const scaleX = imageWidth / mapWidth;
  const scaleY = imageHeight / mapHeight;
  // Pixel centres line up between the map and the image (i ↦ (i + ½)·scale − ½).
  const toImage = ([x, y]: Point): Point => [
    clamp(Math.round((x + 0.5) * scaleX - 0.5), 0, imageWidth - 1),
    clamp(Math.round((y + 0.5) * scaleY - 0.5), 0, imageHeight - 1),
  ];
  const found: Quad[] = [];
  for (const outline of regionOutlines(mask, mapWidth, mapHeight, MAX_CANDIDATES)) {
    const region = minAreaRect(outline);
    if (region.shortSide < MIN_SIZE) continue;
    const score = meanInsidePolygon(map, mapWidth, mapHeight, region.corners);
    if (score < BOX_THRESHOLD) continue;
    const grown = minAreaRect(unclip(region.corners, UNCLIP_RATIO));
    if (grown.shortSide < MIN_SIZE + 2) continue;
    const quad = grown.corners.map(toImage) as Quad;
    const [tl, tr, , bl] = quad;
    if (distance(tl, tr) <= MIN_SIDE_IN_IMAGE || distance(tl, bl) <= MIN_SIDE_IN_IMAGE) continue;
    found.push(quad);
  }
  return found;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
