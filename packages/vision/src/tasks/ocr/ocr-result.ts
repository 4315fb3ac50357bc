/** The lines read, as an OcrResult: weak or empty lines dropped, the rest in the page's reading order. */
import type { RawPixels } from "../../images/workflow-image.js";
import type { OcrLine, OcrResult } from "../../models/types.js";
import type { DecodedText } from "./ctc-decode.js";
import type { Quad } from "./polygon.js";
import { dominantTurn, readingOrder, type Turn } from "./reading-order.js";

/** Lines read with less confidence are dropped (PaddleOCR's drop_score). */
const MIN_LINE_CONFIDENCE = 0.5;

/** Per text quad: its text, and whether its strip was turned a quarter (cut upright) and a half (found upside down). */
export function ocrResult(
  image: RawPixels,
  quads: readonly Quad[],
  texts: readonly DecodedText[],
  turned: readonly boolean[],
  upsideDown: readonly boolean[],
): OcrResult {
  const read = quads
    .map((quad, i) => ({
      line: { ...texts[i]!, box: quad.map(([x, y]): [number, number] => [x, y]) },
      quad,
      turn: (((turned[i] ? 90 : 0) + (upsideDown[i] ? 180 : 0)) as Turn),
    }))
    .filter(({ line }) => line.confidence >= MIN_LINE_CONFIDENCE && line.text.trim() !== "");
  // A page photographed on its side reads in its own frame: the turn most of its lines needed.
  const pageTurn = dominantTurn(read.map(({ turn }) => turn));
  const lines: OcrLine[] = readingOrder(read, ({ quad }) => quad, pageTurn, image.width, image.height).map(({ line }) => line);
  return { width: image.width, height: image.height, lines, text: lines.map((line) => line.text).join(" ") };
}
