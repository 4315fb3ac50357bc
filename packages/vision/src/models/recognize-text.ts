/**
 * PaddleOCR (PP-OCR) text recognition, run: DB detection finds text quads, each is cut out as an
 * upright strip, the direction classifier turns upside-down strips, and the CTC recogniser reads
 * them. This file runs the three models in turn; what goes into them and what comes out of them
 * is tasks/ocr's.
 */
import type { InferenceSession } from "onnxruntime-node";
import type { RawPixels } from "../images/workflow-image.js";
import { ctcCharacters, decodeRecognizerOutput, type DecodedText } from "../tasks/ocr/ctc-decode.js";
import { textQuadsFromMap } from "../tasks/ocr/db-postprocess.js";
import { detectionInput } from "../tasks/ocr/detection-input.js";
import { ocrResult } from "../tasks/ocr/ocr-result.js";
import { rotate180, textStrip } from "../tasks/ocr/perspective-crop.js";
import { directionBatches, recognitionBatches } from "../tasks/ocr/strip-batches.js";
import { stripBatch } from "../tasks/ocr/strip-input.js";
import { DIRECTION_INPUT_WIDTH, isUpsideDown } from "../tasks/ocr/text-direction.js";
import { runSession } from "./run-session.js";
import type { OcrResult } from "./types.js";

export async function recognizeText(
  image: RawPixels,
  sessions: { det: InferenceSession; cls: InferenceSession; rec: InferenceSession },
  dictionary: readonly string[],
  signal?: AbortSignal,
): Promise<OcrResult> {
  const characters = ctcCharacters(dictionary);
  const [probabilityMap] = await runSession(sessions.det, await detectionInput(image), signal);
  const [, , mapHeight, mapWidth] = probabilityMap!.dims as number[];
  const quads = textQuadsFromMap(probabilityMap!.data, mapWidth!, mapHeight!, image.width, image.height);
  const cut = quads.map((quad) => textStrip(image, quad));
  const upsideDown: boolean[] = [];
  for (const batch of directionBatches(cut.map(({ strip }) => strip))) {
    const [probabilities] = await runSession(sessions.cls, await stripBatch(batch, DIRECTION_INPUT_WIDTH), signal);
    batch.forEach((_, i) => upsideDown.push(isUpsideDown(probabilities!.data, i)));
  }
  const strips = cut.map(({ strip }, i) => (upsideDown[i] ? rotate180(strip) : strip));
  const texts: DecodedText[] = new Array(strips.length);
  for (const { members, width } of recognitionBatches(strips)) {
    const [output] = await runSession(sessions.rec, await stripBatch(members.map((i) => strips[i]!), width), signal);
    decodeRecognizerOutput(output!, characters).forEach((text, slot) => (texts[members[slot]!] = text));
  }
  return ocrResult(image, quads, texts, cut.map(({ turned }) => turned), upsideDown);
}
