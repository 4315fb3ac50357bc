/**
 * Greedy CTC decoding of the recogniser's output: per time step the most probable class;
 * repeats collapse, then blanks vanish. Class 0 is the blank, classes 1..n the dictionary's
 * lines, and class n + 1 a space that PaddleOCR appends (use_space_char).
 */
import type { ModelOutput } from "../model-tensors.js";

export interface DecodedText {
  text: string;
  /** Mean of the kept characters' probabilities; 0 when none is kept. */
  confidence: number;
}

/** Class index → character; the blank decodes to nothing. */
export function ctcCharacters(dictionary: readonly string[]): string[] {
  return ["", ...dictionary, " "];
}

/** `probabilities` holds `steps` rows of `characters.length` values, from `offset`. */
export function ctcGreedyDecode(probabilities: Float32Array, offset: number, steps: number, characters: readonly string[]): DecodedText {
  const classes = characters.length;
  let text = "";
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    const row = offset + t * classes;
    let best = 0;
    let bestProbability = probabilities[row]!;
    for (let c = 1; c < classes; c++) {
      const p = probabilities[row + c]!;
      if (p > bestProbability) {
        best = c;
        bestProbability = p;
      }
    }
    // A class repeated on consecutive steps is one character; a doubled letter has a blank between.
    if (best !== 0 && best !== previous) {
      text += characters[best];
      sum += bestProbability;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept ? sum / kept : 0 };
}

/** The text of each strip of a recogniser output ([strips, steps, classes]). */
export function decodeRecognizerOutput(output: ModelOutput, characters: readonly string[]): DecodedText[] {
  const [strips, steps, classes] = output.dims as number[];
  if (classes !== characters.length) {
    throw new Error(`the recogniser has ${classes} classes; the dictionary of ${characters.length - 2} characters needs ${characters.length} (blank + characters + space)`);
  }
  return Array.from({ length: strips! }, (_, slot) => ctcGreedyDecode(output.data, slot * steps! * classes, steps!, characters));
}
