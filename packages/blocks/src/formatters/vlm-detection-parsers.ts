/**
 * How VLM As Detector reads each model's answer into boxes in the image's pixels, one parser per
 * (model_type, task_type) as Roboflow registers them. Coordinates the models give:
 * - anthropic-claude (v2), openai's first style: {"detections": [{x_min, y_min, x_max, y_max,
 *   class_name, confidence?}]}, normalized to 0-1;
 * - google-gemini: that, or a list (or {"detections": list}) of {box_2d: [y_min, x_min, y_max,
 *   x_max] on 0-1000, label | class_name | class};
 * - openai's second style: a list (or {"detections": list}) of {box_2d: [x_min, y_min, x_max,
 *   y_max]} in pixels of the upload, which Roboflow's OpenAI block shrinks to 2048 on its long edge;
 * - qwen: box_2d | bbox_2d [x_min, y_min, x_max, y_max] on 0-1000; malformed entries skipped;
 * - muse: named x_min ... y_max on 0-1000; malformed entries skipped;
 * - spacexai: box_2d [x_min, y_min, x_max, y_max] in percent;
 * - florence-2: its post-processed output per task (bboxes in pixels, labels).
 * LLM boxes are rounded to whole pixels (numpy's half-to-even); Florence-2's are float32, as
 * supervision keeps them. A parser throws on an answer of the wrong shape: the block then reports
 * error_status true, as Roboflow's catch-all does.
 */
import { createHash } from "node:crypto";
import { isRecord } from "@cvflow/wire";
import { roundHalfEven } from "../common/python-numbers.js";
import { classIndex, scaleConfidence } from "./vlm-json.js";

export interface ParsedBoxes {
  xyxy: number[];
  className: string[];
  classId: number[];
  confidence: number[];
}

export interface ParseInput {
  answer: unknown;
  classes: readonly string[] | null;
  width: number;
  height: number;
}

export type VlmDetectionParser = (input: ParseInput) => ParsedBoxes;

const EMPTY: ParsedBoxes = { xyxy: [], className: [], classId: [], confidence: [] };

/** A number as Python's arithmetic takes it (bool is an int there); anything else fails as it would. */
function num(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  throw new TypeError(`${JSON.stringify(value)} is not a number`);
}

function entry(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) throw new TypeError("a detection entry is not an object");
  return value;
}

function required(detection: Record<string, unknown>, key: string): unknown {
  if (!(key in detection)) throw new TypeError(`a detection has no ${key}`);
  return detection[key];
}

const clamp = (x: number, low: number, high: number): number => Math.min(Math.max(x, low), high);

/** Boxes of LLM answers: rounded as numpy rounds, ids from `classes`. */
function llmBoxes(rows: readonly { box: number[]; label: string; confidence: number }[], classes: readonly string[] | null): ParsedBoxes {
  if (rows.length === 0) return EMPTY;
  const index = classIndex(classes ?? []);
  return {
    xyxy: rows.flatMap((r) => r.box.map((v) => roundHalfEven(v))),
    className: rows.map((r) => r.label),
    classId: rows.map((r) => index.get(r.label) ?? -1),
    confidence: rows.map((r) => r.confidence),
  };
}

/** The first present (not null) of Gemini's label keys, as a string; "unknown" when none. */
function geminiLabel(detection: Record<string, unknown>): string {
  for (const key of ["class_name", "label", "class"]) {
    const value = detection[key];
    if (value !== undefined && value !== null) return typeof value === "string" ? value : JSON.stringify(value);
  }
  return "unknown";
}

function listOrDetections(answer: unknown, model: string): unknown[] {
  if (Array.isArray(answer)) return answer;
  if (isRecord(answer) && "detections" in answer) {
    const detections = answer["detections"];
    if (Array.isArray(detections)) return detections;
  }
  throw new TypeError(`unexpected ${model} object detection response format`);
}

function fourNumbers(value: unknown): [number, number, number, number] {
  if (!Array.isArray(value) || value.length !== 4) throw new TypeError("box_2d must hold four numbers");
  return [num(value[0]), num(value[1]), num(value[2]), num(value[3])];
}

/** {"detections": [{x_min..y_max normalized, class_name, confidence?}]}: Claude's (v2) and OpenAI's first style. */
export const parseNormalizedDetections: VlmDetectionParser = ({ answer, classes, width, height }) => {
  if (!isRecord(answer)) throw new TypeError("the answer has no detections");
  const detections = required(answer, "detections");
  if (!Array.isArray(detections)) throw new TypeError("detections is not a list");
  return llmBoxes(
    detections.map((raw) => {
      const d = entry(raw);
      const label = required(d, "class_name");
      return {
        box: [num(required(d, "x_min")) * width, num(required(d, "y_min")) * height, num(required(d, "x_max")) * width, num(required(d, "y_max")) * height],
        label: typeof label === "string" ? label : JSON.stringify(label),
        confidence: scaleConfidence(d["confidence"] ?? 1),
      };
    }),
    classes,
  );
};

export const parseGeminiDetections: VlmDetectionParser = ({ answer, classes, width, height }) => {
  const detections = listOrDetections(answer, "Gemini");
  return llmBoxes(
    detections.map((raw) => {
      const d = entry(raw);
      let box: number[];
      if ("box_2d" in d) {
        const [yMin, xMin, yMax, xMax] = fourNumbers(d["box_2d"]);
        box = [(xMin / 1000) * width, (yMin / 1000) * height, (xMax / 1000) * width, (yMax / 1000) * height];
      } else {
        box = [num(required(d, "x_min")) * width, num(required(d, "y_min")) * height, num(required(d, "x_max")) * width, num(required(d, "y_max")) * height];
      }
      return { box, label: geminiLabel(d), confidence: scaleConfidence(d["confidence"] ?? 1) };
    }),
    classes,
  );
};

/** The size Roboflow's OpenAI block uploads: the long edge at most 2048, never upscaled (its scale_dimensions_to_max_edge). */
export function openAiUploadSize(width: number, height: number, maxEdge = 2048): [number, number] {
  if (Math.max(width, height) <= maxEdge) return [width, height];
  return width >= height ? [maxEdge, Math.max(roundHalfEven((height * maxEdge) / width), 1)] : [Math.max(roundHalfEven((width * maxEdge) / height), 1), maxEdge];
}

function parseOpenAiAbsolute(detections: unknown, classes: readonly string[] | null, width: number, height: number): ParsedBoxes {
  if (!Array.isArray(detections)) throw new TypeError("unexpected OpenAI object detection response format");
  const [upW, upH] = openAiUploadSize(width, height);
  return llmBoxes(
    detections.map((raw) => {
      const d = entry(raw);
      const [x1, y1, x2, y2] = fourNumbers(required(d, "box_2d"));
      const sx = width / upW;
      const sy = height / upH;
      return {
        box: [clamp(x1, 0, upW) * sx, clamp(y1, 0, upH) * sy, clamp(x2, 0, upW) * sx, clamp(y2, 0, upH) * sy],
        label: geminiLabel(d),
        confidence: scaleConfidence(d["confidence"] ?? 1),
      };
    }),
    classes,
  );
}

/** OpenAI's two styles: box_2d entries (a list, or wrapped in "detections") in upload pixels, or normalized named fields. */
export const parseOpenAiDetections: VlmDetectionParser = (input) => {
  const { answer, classes, width, height } = input;
  if (isRecord(answer) && "detections" in answer) {
    const detections = answer["detections"];
    if (Array.isArray(detections) && isRecord(detections[0]) && "box_2d" in detections[0]) return parseOpenAiAbsolute(detections, classes, width, height);
    return parseNormalizedDetections(input);
  }
  return parseOpenAiAbsolute(answer, classes, width, height);
};

function isPlainNumber(value: unknown): value is number {
  return typeof value === "number";
}

export const parseQwenDetections: VlmDetectionParser = ({ answer, classes, width, height }) => {
  const rows: { box: number[]; label: string; confidence: number }[] = [];
  for (const raw of listOrDetections(answer, "Qwen")) {
    if (!isRecord(raw)) continue;
    const box = [raw["box_2d"], raw["bbox_2d"]].find((b): b is number[] => Array.isArray(b) && b.length === 4 && b.every(isPlainNumber));
    if (!box) continue;
    const [x1, y1, x2, y2] = box.map((v) => clamp(v, 0, 1000));
    let label = "unknown";
    for (const key of ["label", "description", "class_name", "class"]) {
      const value = raw[key];
      if (value !== undefined && value !== null) {
        label = typeof value === "string" ? value : JSON.stringify(value);
        break;
      }
    }
    rows.push({ box: [(x1! * width) / 1000, (y1! * height) / 1000, (x2! * width) / 1000, (y2! * height) / 1000], label, confidence: 1 });
  }
  return llmBoxes(rows, classes);
};

const MUSE_FIELDS = ["x_min", "y_min", "x_max", "y_max"] as const;

/** Muse sometimes writes `{...}, {...}` with no brackets: each top-level object that carries the four box fields. */
export function looseMuseEntries(text: string): Record<string, unknown>[] {
  const entries: Record<string, unknown>[] = [];
  let index = 0;
  for (;;) {
    const start = text.indexOf("{", index);
    if (start === -1) break;
    const end = jsonObjectEnd(text, start);
    let parsed: unknown;
    if (end !== -1) {
      try {
        parsed = JSON.parse(text.slice(start, end));
      } catch {
        parsed = undefined;
      }
    }
    if (parsed === undefined) {
      index = start + 1;
      continue;
    }
    if (isRecord(parsed) && MUSE_FIELDS.every((f) => f in parsed)) entries.push(parsed);
    index = end;
  }
  return entries;
}

/** Where the JSON object starting at `start` ends (one past its closing brace), or -1; strings are skipped whole. */
function jsonObjectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      depth--;
      if (depth === 0) return c === "}" ? i + 1 : -1;
    }
  }
  return -1;
}

export const parseMuseDetections: VlmDetectionParser = ({ answer, classes, width, height }) => {
  let entries: Record<string, unknown>[];
  if (Array.isArray(answer)) entries = answer.filter(isRecord);
  else if (isRecord(answer) && Array.isArray(answer["detections"])) entries = (answer["detections"] as unknown[]).filter(isRecord);
  else if (isRecord(answer) && MUSE_FIELDS.every((f) => f in answer)) entries = [answer];
  else throw new TypeError("unexpected Muse object detection response format");
  const rows: { box: number[]; label: string; confidence: number }[] = [];
  for (const d of entries) {
    const box = MUSE_FIELDS.map((f) => d[f]);
    if (!box.every((v): v is number => typeof v === "number" && Number.isFinite(v))) continue;
    const [x1, y1, x2, y2] = box.map((v) => clamp(v, 0, 1000));
    const label = d["label"];
    // Python's `str(label or "unknown")`: an empty or falsy label is "unknown".
    const name = !label ? "unknown" : typeof label === "string" ? label : JSON.stringify(label);
    rows.push({ box: [(x1! * width) / 1000, (y1! * height) / 1000, (x2! * width) / 1000, (y2! * height) / 1000], label: name, confidence: 1 });
  }
  return llmBoxes(rows, classes);
};

export const parseSpacexAiDetections: VlmDetectionParser = ({ answer, classes, width, height }) => {
  let detections: unknown;
  if (Array.isArray(answer)) detections = answer;
  else if (isRecord(answer) && "detections" in answer) detections = answer["detections"];
  else throw new TypeError("unexpected SpaceXAI object detection response format");
  if (!Array.isArray(detections)) throw new TypeError("detections is not a list");
  return llmBoxes(
    detections.map((raw) => {
      const d = entry(raw);
      const [x1, y1, x2, y2] = fourNumbers(required(d, "box_2d")).map((v) => clamp(v, 0, 100));
      return {
        box: [(x1! / 100) * width, (y1! / 100) * height, (x2! / 100) * width, (y2! / 100) * height],
        label: geminiLabel(d),
        confidence: scaleConfidence(d["confidence"] ?? 1),
      };
    }),
    classes,
  );
};

/** Roboflow's class id for a Florence-2 label of an open task: the first 9 hex digits of its MD5, modulo 10 000. */
export function florenceClassId(name: string): number {
  return parseInt(createHash("md5").update(name, "utf8").digest("hex").slice(0, 9), 16) % 10_000;
}

export type FlorenceTask = "<OD>" | "<OPEN_VOCABULARY_DETECTION>" | "<DENSE_REGION_CAPTION>" | "<CAPTION_TO_PHRASE_GROUNDING>" | "<REGION_PROPOSAL>" | "<OCR_WITH_REGION>";

function labels(value: unknown, n: number): string[] {
  if (!Array.isArray(value) || value.length !== n) throw new TypeError("labels must be a list with one label per box");
  return value.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
}

function florenceBoxes(value: unknown): number[] {
  if (!Array.isArray(value)) throw new TypeError("bboxes must be a list");
  return value.flatMap((b) => fourNumbers(b).map(Math.fround));
}

/** Florence-2's post-processed answer for `task` (supervision's from_florence_2, then Roboflow's class ids). */
export function florenceParser(task: FlorenceTask): VlmDetectionParser {
  return ({ answer, classes }) => {
    if (!isRecord(answer)) throw new TypeError("a Florence-2 answer is an object");
    let xyxy: number[];
    let names: string[];
    if (task === "<OCR_WITH_REGION>") {
      const quads = answer["quad_boxes"];
      if (!Array.isArray(quads)) throw new TypeError("quad_boxes must be a list");
      xyxy = quads.flatMap((q) => {
        if (!Array.isArray(q) || q.length !== 8) throw new TypeError("a quad box holds 8 numbers");
        const v = q.map((x) => Math.fround(num(x)));
        const xs = [v[0]!, v[2]!, v[4]!, v[6]!];
        const ys = [v[1]!, v[3]!, v[5]!, v[7]!];
        return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
      });
      names = labels(answer["labels"], xyxy.length / 4);
    } else {
      xyxy = florenceBoxes(answer["bboxes"]);
      const n = xyxy.length / 4;
      if (task === "<REGION_PROPOSAL>") names = new Array<string>(n).fill("roi");
      else names = labels(task === "<OPEN_VOCABULARY_DETECTION>" ? answer["bboxes_labels"] : answer["labels"], n);
    }
    const n = names.length;
    if (n === 0) return EMPTY;
    let classId: number[];
    if (task === "<OD>" || task === "<CAPTION_TO_PHRASE_GROUNDING>") classId = names.map(florenceClassId);
    else if (task === "<OPEN_VOCABULARY_DETECTION>") {
      if (classes === null) throw new TypeError("open-vocabulary detection needs classes");
      const index = classIndex(classes);
      classId = names.map((name) => index.get(name) ?? -1);
    } else classId = new Array<number>(n).fill(0);
    return { xyxy, className: names, classId, confidence: new Array<number>(n).fill(1) };
  };
}

export const FLORENCE_TASKS: Readonly<Record<string, FlorenceTask>> = {
  "object-detection": "<OD>",
  "open-vocabulary-object-detection": "<OPEN_VOCABULARY_DETECTION>",
  "object-detection-and-caption": "<DENSE_REGION_CAPTION>",
  "phrase-grounded-object-detection": "<CAPTION_TO_PHRASE_GROUNDING>",
  "region-proposal": "<REGION_PROPOSAL>",
  "ocr-with-text-detection": "<OCR_WITH_REGION>",
};
