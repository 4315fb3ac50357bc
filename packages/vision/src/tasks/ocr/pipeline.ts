/**
 * PaddleOCR (PP-OCR) text recognition: DB detection finds text quads, each is cut out as an
 * upright strip, the direction classifier turns upside-down strips, and the CTC recogniser
 * reads them. This file only runs the models; the processing around them lives beside it.
 */
import type { InferenceSession, Tensor } from "onnxruntime-node";
import type { RawPixels } from "../../images/workflow-image.js";
import type { OcrLine, OcrResult } from "../../models/types.js";
import { ctcCharacters, ctcGreedyDecode, type DecodedText } from "./ctc-decode.js";
import { textQuadsFromMap } from "./db-postprocess.js";
import { detectionInput } from "./detection-input.js";
import { rotate180, textStrip } from "./perspective-crop.js";
import { dominantTurn, readingOrder, type Turn } from "./reading-order.js";
import { stripBatch, stripWidth } from "./strip-input.js";
import { DIRECTION_INPUT_WIDTH, isUpsideDown } from "./text-direction.js";

/** Strips per model run (PaddleOCR's cls and rec batch size). */
const BATCH_SIZE = 6;
/** Recogniser batches are at least this wide (PaddleOCR's rec_image_shape 3×48×320). */
const MIN_REC_WIDTH = 320;
/**
 * And at most this wide (some 160 characters): the output grows by 6625 floats per 8 pixels of
 * width, so an absurdly long strip would cost hundreds of megabytes. Longer strips are squeezed.
 */
const MAX_REC_WIDTH = 1920;
/** Lines read with less confidence are dropped (PaddleOCR's drop_score). */
const MIN_LINE_CONFIDENCE = 0.5;

export async function recognizeText(
  image: RawPixels,
  sessions: { det: InferenceSession; cls: InferenceSession; rec: InferenceSession },
  dictionary: readonly string[],
  signal?: AbortSignal,
): Promise<OcrResult> {
  const characters = ctcCharacters(dictionary);
  const probabilityMap = await run(sessions.det, await detectionInput(image), signal);
  const [, , mapHeight, mapWidth] = probabilityMap.dims as number[];
  const quads = textQuadsFromMap(probabilityMap.data as Float32Array, mapWidth!, mapHeight!, image.width, image.height);
  const cut = quads.map((quad) => textStrip(image, quad));
  const upsideDown = await findUpsideDown(cut.map(({ strip }) => strip), sessions.cls, signal);
  const strips = cut.map(({ strip }, i) => (upsideDown[i] ? rotate180(strip) : strip));
  const texts = await readStrips(strips, sessions.rec, characters, signal);
  const read = quads
    .map((quad, i) => ({
      line: { ...texts[i]!, box: quad.map(([x, y]): [number, number] => [x, y]) },
      quad,
      turn: (((cut[i]!.turned ? 90 : 0) + (upsideDown[i] ? 180 : 0)) as Turn),
    }))
    .filter(({ line }) => line.confidence >= MIN_LINE_CONFIDENCE && line.text.trim() !== "");
  // A page photographed on its side reads in its own frame: the turn most of its lines needed.
  const pageTurn = dominantTurn(read.map(({ turn }) => turn));
  const lines: OcrLine[] = readingOrder(read, ({ quad }) => quad, pageTurn, image.width, image.height).map(({ line }) => line);
  return { width: image.width, height: image.height, lines, text: lines.map((line) => line.text).join(" ") };
}

/** Which strips the classifier finds upside down. */
async function findUpsideDown(strips: readonly RawPixels[], cls: InferenceSession, signal: AbortSignal | undefined): Promise<boolean[]> {
  const flags: boolean[] = [];
  for (let start = 0; start < strips.length; start += BATCH_SIZE) {
    const batch = strips.slice(start, start + BATCH_SIZE);
    const probabilities = (await run(cls, await stripBatch(batch, DIRECTION_INPUT_WIDTH), signal)).data as Float32Array;
    batch.forEach((_, i) => flags.push(isUpsideDown(probabilities, i)));
  }
  return flags;
}

/** The text of each strip. Strips are batched by width so that little of a batch is padding. */
async function readStrips(
  strips: readonly RawPixels[],
  rec: InferenceSession,
  characters: readonly string[],
  signal: AbortSignal | undefined,
): Promise<DecodedText[]> {
  const widths = strips.map(stripWidth);
  const order = strips.map((_, i) => i).sort((a, b) => widths[a]! - widths[b]!);
  const texts: DecodedText[] = new Array(strips.length);
  for (let start = 0; start < order.length; start += BATCH_SIZE) {
    const members = order.slice(start, start + BATCH_SIZE);
    const batchWidth = Math.min(MAX_REC_WIDTH, Math.max(MIN_REC_WIDTH, ...members.map((i) => widths[i]!)));
    const output = await run(rec, await stripBatch(members.map((i) => strips[i]!), batchWidth), signal);
    const [, steps, classes] = output.dims as number[];
    if (classes !== characters.length) {
      throw new Error(`the recogniser has ${classes} classes; the dictionary of ${characters.length - 2} characters needs ${characters.length} (blank + characters + space)`);
    }
    members.forEach((strip, slot) => {
      texts[strip] = ctcGreedyDecode(output.data as Float32Array, slot * steps! * classes, steps!, characters);
    });
  }
  return texts;
}

/** One run of a single-input, single-output model, between checks of the signal. */
async function run(session: InferenceSession, input: Tensor, signal: AbortSignal | undefined): Promise<Tensor> {
  signal?.throwIfAborted();
  const outputs = await session.run({ [session.inputNames[0]!]: input });
  signal?.throwIfAborted();
  return outputs[session.outputNames[0]!]!;
}
