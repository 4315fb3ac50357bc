import { describe, expect, it } from "vitest";
import { ctcCharacters, ctcGreedyDecode } from "../src/tasks/ocr/ctc-decode.js";
import { detectionSize } from "../src/tasks/ocr/detection-input.js";
import { stripWidth } from "../src/tasks/ocr/strip-input.js";
import { isUpsideDown } from "../src/tasks/ocr/text-direction.js";

describe("CTC greedy decoding", () => {
  const characters = ctcCharacters(["a", "b"]);

  /** One row per step: `best` gets `p`, the rest share what is left. */
  function steps(rows: [best: number, p: number][]): Float32Array {
    const out = new Float32Array(rows.length * characters.length);
    rows.forEach(([best, p], t) => {
      for (let c = 0; c < characters.length; c++) out[t * characters.length + c] = c === best ? p : (1 - p) / (characters.length - 1);
    });
    return out;
  }

  it("puts the blank first and PaddleOCR's space last", () => {
    expect(characters).toEqual(["", "a", "b", " "]);
  });

  it("collapses repeats, drops blanks, keeps a doubled letter split by a blank", () => {
    // a a _ a b b ␠ _  →  "aab "
    const probabilities = steps([[1, 0.9], [1, 0.5], [0, 0.99], [1, 0.7], [2, 0.6], [2, 0.95], [3, 0.8], [0, 0.9]]);
    const decoded = ctcGreedyDecode(probabilities, 0, 8, characters);
    expect(decoded.text).toBe("aab ");
    // the first step of each run counts: 0.9, 0.7, 0.6, 0.8
    expect(decoded.confidence).toBeCloseTo((0.9 + 0.7 + 0.6 + 0.8) / 4);
  });

  it("reads nothing, with confidence 0, from blanks only", () => {
    expect(ctcGreedyDecode(steps([[0, 0.9], [0, 0.8]]), 0, 2, characters)).toEqual({ text: "", confidence: 0 });
  });

  it("reads one item of a batch from its offset", () => {
    const batch = new Float32Array([...steps([[1, 0.9], [0, 0.9]]), ...steps([[2, 0.9], [0, 0.9]])]);
    expect(ctcGreedyDecode(batch, 2 * characters.length, 2, characters).text).toBe("b");
  });
});

describe("direction classifier", () => {
  it("turns a strip only when upside down with more than 0.9", () => {
    const probabilities = new Float32Array([0.05, 0.95, 0.15, 0.85, 0.95, 0.05]);
    expect([0, 1, 2].map((i) => isUpsideDown(probabilities, i))).toEqual([true, false, false]);
  });
});

describe("input sizes", () => {
  it("sizes the detector input to multiples of 32, the longer side at most 960", () => {
    expect(detectionSize(1000, 667)).toEqual({ width: 960, height: 640 });
    expect(detectionSize(4000, 3000)).toEqual({ width: 960, height: 736 });
    expect(detectionSize(100, 50)).toEqual({ width: 96, height: 64 });
    expect(detectionSize(10, 10)).toEqual({ width: 32, height: 32 });
  });

  it("widens a strip to keep its aspect ratio at height 48", () => {
    expect(stripWidth({ data: new Uint8Array(0), width: 100, height: 24, channels: 3 })).toBe(200);
    expect(stripWidth({ data: new Uint8Array(0), width: 1, height: 500, channels: 3 })).toBe(1);
  });
});
