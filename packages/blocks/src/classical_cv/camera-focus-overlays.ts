/**
 * The overlays Camera Focus v2 draws, in the reference's order and arithmetic: zebra stripes on
 * under/over-exposed pixels, focus peaking, centre cross, composition grid, and the readout panel
 * (focus value, "Exposure" and the histograms). Sizes scale with the image's shorter side over
 * 720, kept within 0.4..2.5. The reference draws on BGR images: its colours are given here in
 * RGB, so the same pixels come out. Text is OpenCV's own putText; its sizes come from
 * hersheyTextSize (opencv-js has no getTextSize).
 */
import type { RawPixels } from "@cvflow/vision";
import { fixedDigits } from "../common/python-numbers.js";
import { hersheyTextSize } from "../visualizations/draw/text.js";
import type { CV, Mat, MatScope } from "./opencv.js";

type Rgb = [number, number, number];

const BLUE: Rgb = [0, 0, 255];
const RED: Rgb = [255, 0, 0];
const GREEN: Rgb = [0, 255, 0];
const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/** The scale of sizes: the shorter side over 720, within 0.4..2.5. */
function displayScale(width: number, height: number): number {
  return Math.max(0.4, Math.min(Math.min(height, width) / 720, 2.5));
}

/**
 * Pixels in the stripes (diagonals 8 pixels wide) whose gray is below `under` blended half with
 * blue, then those above `over` half with red (truncated, as numpy's astype).
 */
export function zebraWarnings(rgb: RawPixels, gray: Uint8Array, under: number, over: number): void {
  const { data, width, height } = rgb;
  const blend = (test: (g: number) => boolean, colour: Rgb): void => {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (Math.floor((x + y) / 8) % 2 !== 0 || !test(gray[i]!)) continue;
        for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.trunc(data[i * 3 + c]! * (1 - 0.5) + colour[c]! * 0.5);
      }
    }
  };
  blend((g) => g < under, BLUE);
  blend((g) => g > over, RED);
}

/** Pixels whose measure, scaled by the maximum to 0..255 in float32, is above 30 % (76) blended 60 % with green. */
export function focusPeaking(rgb: RawPixels, measure: Float32Array): void {
  let max = 0;
  for (const v of measure) if (v > max) max = v;
  if (max === 0) return;
  const threshold = Math.trunc((30 * 255) / 100);
  const { data } = rgb;
  for (let i = 0; i < measure.length; i++) {
    if (Math.trunc(Math.fround(Math.fround(measure[i]! / max) * 255)) <= threshold) continue;
    for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.trunc(data[i * 3 + c]! * (1 - 0.6) + GREEN[c]! * 0.6);
  }
}

function line(cv: CV, mat: Mat, x1: number, y1: number, x2: number, y2: number, colour: Rgb, thickness: number): void {
  cv.line(mat, new cv.Point(x1, y1), new cv.Point(x2, y2), new cv.Scalar(...colour), thickness);
}

/** A white cross at the centre, 20 pixels each way at scale 1. */
export function centerMarker(cv: CV, mat: Mat): void {
  const scale = displayScale(mat.cols, mat.rows);
  const size = Math.trunc(20 * scale);
  const thickness = Math.max(1, Math.trunc(1.6 * scale));
  const cx = Math.floor(mat.cols / 2);
  const cy = Math.floor(mat.rows / 2);
  line(cv, mat, cx - size, cy, cx + size, cy, WHITE, thickness);
  line(cv, mat, cx, cy - size, cx, cy + size, WHITE, thickness);
}

/** Gray one-pixel lines dividing the image into `divisions` x `divisions` parts. */
export function compositionGrid(cv: CV, mat: Mat, divisions: number): void {
  const { cols: width, rows: height } = mat;
  for (let i = 1; i < divisions; i++) {
    const x = Math.floor((width * i) / divisions);
    const y = Math.floor((height * i) / divisions);
    line(cv, mat, x, 0, x, height, [128, 128, 128], 1);
    line(cv, mat, 0, y, width, y, [128, 128, 128], 1);
  }
}

/**
 * The readout panel at the top left: a 70 % black box with a gray border, "TFM Focus" and the
 * value (one decimal) on one line, a divider, "Exposure", and a histogram box holding each colour
 * channel's histogram (blue, green, red, in the reference's drawing order) and the gray one in
 * white, each scaled to its own maximum. `source` is the block's input image (its histograms),
 * `gray` its gray.
 */
export function focusReadout(cv: CV, scope: MatScope, mat: Mat, focus: number, gray: Uint8Array, source: RawPixels): void {
  const scale = displayScale(mat.cols, mat.rows);
  const padding = Math.trunc(14 * scale);
  const histWidth = Math.trunc(180 * scale);
  const histHeight = Math.trunc(50 * scale);
  const fontScale = 0.5 * scale;
  const smallFontScale = 0.4 * scale;
  const thickness = Math.max(1, Math.trunc(1.6 * scale));
  const lineSpacing = Math.trunc(6 * scale);
  const margin = Math.trunc(12 * scale);
  const sectionSpacing = Math.trunc(12 * scale);

  const focusLabel = "TFM Focus";
  const focusText = fixedDigits(focus, 1);
  const exposureLabel = "Exposure";
  const labelSize = hersheyTextSize(focusLabel, fontScale, thickness);
  const valueSize = hersheyTextSize(focusText, fontScale, thickness);
  const exposureSize = hersheyTextSize(exposureLabel, smallFontScale, thickness);

  const contentWidth = Math.max(labelSize.width + valueSize.width + Math.trunc(20 * scale), exposureSize.width, histWidth);
  const contentHeight = labelSize.height + sectionSpacing + exposureSize.height + lineSpacing + histHeight;
  const hudWidth = contentWidth + padding * 2;
  const hudHeight = contentHeight + padding * 2;
  const [hudX, hudY] = [margin, margin];
  const topLeft = new cv.Point(hudX, hudY);
  const bottomRight = new cv.Point(hudX + hudWidth, hudY + hudHeight);

  // copyTo, not clone(): opencv-js's clone() shares the pixels (a header copy).
  const overlay = scope.mat();
  mat.copyTo(overlay);
  cv.rectangle(overlay, topLeft, bottomRight, new cv.Scalar(...BLACK), -1);
  cv.addWeighted(overlay, 0.7, mat, 0.3, 0, mat);
  cv.rectangle(mat, topLeft, bottomRight, new cv.Scalar(80, 80, 80), 1);

  const outlined = (text: string, x: number, y: number, size: number, colour: Rgb): void => {
    cv.putText(mat, text, new cv.Point(x, y), cv.FONT_HERSHEY_SIMPLEX, size, new cv.Scalar(...BLACK), thickness + 2);
    cv.putText(mat, text, new cv.Point(x, y), cv.FONT_HERSHEY_SIMPLEX, size, new cv.Scalar(...colour), thickness);
  };
  const textX = hudX + padding;
  let cursorY = hudY + padding + labelSize.height;
  outlined(focusLabel, textX, cursorY, fontScale, WHITE);
  outlined(focusText, hudX + hudWidth - padding - valueSize.width, cursorY, fontScale, WHITE);
  const dividerY = cursorY + Math.trunc(sectionSpacing * 0.5);
  line(cv, mat, hudX + padding, dividerY, hudX + hudWidth - padding, dividerY, [60, 60, 60], 1);
  cursorY += sectionSpacing + exposureSize.height;
  outlined(exposureLabel, textX, cursorY, smallFontScale, [180, 180, 180]);

  const histX = textX;
  const histY = cursorY + lineSpacing;
  const histBottom = histY + histHeight - 1;
  cv.rectangle(mat, new cv.Point(histX, histY), new cv.Point(histX + histWidth, histBottom), new cv.Scalar(...BLACK), -1);
  // np.linspace(histX, histX + histWidth - 1, 256), truncated: i * step + start, the last exactly the end.
  const step = (histX + histWidth - 1 - histX) / 255;
  const xs = Array.from({ length: 256 }, (_, i) => Math.trunc(i === 255 ? histX + histWidth - 1 : i * step + histX));
  const curve = (values: Uint8Array, stride: number, offset: number, colour: Rgb): void => {
    const counts = new Float64Array(256);
    for (let i = offset; i < values.length; i += stride) counts[values[i]!]! += 1;
    // calcHist's float32 counts, scaled by the maximum in float32 and truncated.
    const max = Math.fround(Math.max(...counts));
    if (max <= 0) return;
    const points = Array.from(counts, (count, i) => [xs[i]!, histBottom - Math.trunc(Math.fround(Math.fround(Math.fround(count) / max) * histHeight))]);
    const polyline = scope.track(new cv.MatVector());
    polyline.push_back(scope.track(cv.matFromArray(256, 1, cv.CV_32SC2, points.flat())));
    cv.polylines(mat, polyline, false, new cv.Scalar(...colour), Math.max(1, thickness));
  };
  if (source.channels === 3) {
    // The reference's BGR channel 0 (blue) first, then green, then red.
    curve(source.data, 3, 2, BLUE);
    curve(source.data, 3, 1, GREEN);
    curve(source.data, 3, 0, RED);
  }
  curve(gray, 1, 0, WHITE);
}
