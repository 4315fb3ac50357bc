/**
 * VLM As Classifier / VLM As Detector: the answers of Roboflow's unit tests
 * (tests/workflows/unit_tests/core_steps/formatters/vlm_as_*) give the boxes, ids and
 * confidences their tests expect; boxes of LLM answers exactly, as numpy rounds them (Roboflow's
 * tests allow ±1), Florence-2's as float32. Then both blocks in a workflow on a shared photo.
 */
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, type Block, type Detections } from "@cvflow/engine";
import { missing } from "@cvflow/vision/test-assets";
import { classifyVlmOutput, vlmAsClassifierV1Block, vlmAsClassifierV2Block } from "../src/formatters/vlm_as_classifier.js";
import { detectVlmOutput, vlmAsDetectorV1Block, vlmAsDetectorV2Block } from "../src/formatters/vlm_as_detector.js";
import { florenceClassId, looseMuseEntries } from "../src/formatters/vlm-detection-parsers.js";
import { boxes } from "./fixtures.js";
import { photo, synthetic } from "./image-fixtures.js";

const image = synthetic(168, 192, 3, () => 0, "parent");

function detect(version: 1 | 2, vlm_output: string, model_type: string, task_type = "object-detection", classes: string[] | null = ["cat", "dog", "lion"]) {
  return detectVlmOutput(version, { image, vlm_output, classes, model_type, task_type }, "inference-1");
}

const LLM_ANSWER = `{"detections": [
  {"x_min": 0.01, "y_min": 0.15, "x_max": 0.15, "y_max": 0.85, "class_name": "cat", "confidence": 1.98},
  {"x_min": 0.17, "y_min": 0.25, "x_max": 0.32, "y_max": 0.85, "class_name": "dog", "confidence": 0.97},
  {"x_min": 0.33, "y_min": 0.15, "x_max": 0.47, "y_max": 0.85, "class_name": "cat", "confidence": 0.99},
  {"x_min": 0.49, "y_min": 0.30, "x_max": 0.65, "y_max": 0.85, "class_name": "dog", "confidence": 0.98},
  {"x_min": 0.67, "y_min": 0.20, "x_max": 0.82, "y_max": 0.85, "class_name": "cat", "confidence": 0.99},
  {"x_min": 0.84, "y_min": 0.25, "x_max": 0.99, "y_max": 0.85, "class_name": "unknown", "confidence": 0.97}
]}`;

const FLORENCE_BOXES =
  '"bboxes": [[434.0, 30.848499298095703, 760.4000244140625, 530.4144897460938], [0.4000000059604645, 96.13949584960938, 528.4000244140625, 564.5574951171875]]';

describe("vlm_as_detector", () => {
  it.each([
    [1, "google-gemini"],
    [1, "anthropic-claude"],
    [2, "google-gemini"],
    [2, "anthropic-claude"],
    [2, "openai"],
  ] as const)("v%s %s: normalized boxes scaled to the image and rounded, confidence clamped, unknown class -1", (version, model) => {
    const out = detect(version, "```json\n" + LLM_ANSWER + "\n```", model);
    expect(out["error_status"]).toBe(false);
    const d = out["predictions"] as Detections;
    expect(boxes(d)).toEqual([
      [2, 29, 25, 163],
      [29, 48, 54, 163],
      [55, 29, 79, 163],
      [82, 58, 109, 163],
      [113, 38, 138, 163],
      [141, 48, 166, 163],
    ]);
    expect(Array.from(d.classId)).toEqual([0, 1, 0, 1, 0, -1]);
    expect(Array.from(d.confidence)).toEqual([1, 0.97, 0.99, 0.98, 0.99, 0.97]);
    expect(d.parentId).toEqual(new Array(6).fill("parent"));
    expect(d.data["prediction_type"]).toEqual(new Array(6).fill("object-detection"));
  });

  it("gemini's native box_2d ([y_min, x_min, y_max, x_max] on 0-1000) and its label key", () => {
    const out = detect(2, '[{"box_2d": [29, 17, 163, 54], "label": "dog"}, {"box_2d": [58, 82, 163, 109], "label": "dog"}]', "google-gemini", undefined, ["cat", "dog"]);
    const d = out["predictions"] as Detections;
    // Roboflow's test lists [2.856, 5.568, 9.072, 31.296] and [13.776, 11.136, 18.312, 31.296] within 1 px: numpy rounds them.
    expect(boxes(d)).toEqual([
      [3, 6, 9, 31],
      [14, 11, 18, 31],
    ]);
    expect(d.className).toEqual(["dog", "dog"]);
    expect(Array.from(d.classId)).toEqual([1, 1]);
  });

  it("openai's box_2d in pixels of the 2048-edge upload: scaled back and clamped to the upload", () => {
    const big = synthetic(4096, 2048, 1, () => 0, "parent");
    const run = (text: string) => detectVlmOutput(2, { image: big, vlm_output: text, classes: ["cat", "dog"], model_type: "openai", task_type: "object-detection" }, "i");
    const plain = run('[{"box_2d": [100, 200, 300, 400], "label": "cat", "confidence": 0.9}, {"box_2d": [500, 600, 2100, 1100], "label": "dog"}]');
    expect(boxes(plain["predictions"] as Detections)).toEqual([
      [200, 400, 600, 800],
      [1000, 1200, 4096, 2048],
    ]);
    expect(Array.from((plain["predictions"] as Detections).confidence)).toEqual([0.9, 1]);
    const wrapped = run('{"detections": [{"box_2d": [100, 200, 300, 400], "label": "cat"}, {"box_2d": [500, 600, 1000, 900], "label": "dog"}]}');
    expect(boxes(wrapped["predictions"] as Detections)).toEqual([
      [200, 400, 600, 800],
      [1000, 1200, 2000, 1800],
    ]);
    const empty = detect(2, '{"detections": []}', "openai");
    expect(empty["error_status"]).toBe(false);
    expect((empty["predictions"] as Detections).length).toBe(0);
  });

  it("spacexai's percent boxes, clamped to 100", () => {
    const tall = synthetic(100, 200, 1, () => 0);
    const out = detectVlmOutput(
      2,
      { image: tall, vlm_output: '[{"box_2d": [10.0, 20.0, 50.0, 80.0], "label": "cat", "confidence": 0.9}, {"box_2d": [60.0, 10.0, 110.0, 40.0], "label": "dog"}, {"box_2d": [0, 0, 50, 50], "label": "bird"}]', classes: ["cat", "dog"], model_type: "spacexai", task_type: "object-detection" },
      "i",
    );
    const d = out["predictions"] as Detections;
    expect(boxes(d)).toEqual([
      [10, 40, 50, 160],
      [60, 20, 100, 80],
      [0, 0, 50, 100],
    ]);
    expect(Array.from(d.classId)).toEqual([0, 1, -1]);
  });

  it("qwen and muse: 0-1000 boxes, malformed entries skipped, confidence 1; muse's unbracketed objects", () => {
    const qwen = detect(2, '[{"bbox_2d": [100, 250, 500, 1200], "label": "cat"}, {"box_2d": [1, 2, 3], "label": "dog"}, "noise", {"box_2d": [0, 0, 1000, 1000], "description": "lion"}]', "qwen");
    const q = qwen["predictions"] as Detections;
    // 100/1000*168 = 16.8 -> 17; 250/1000*192 = 48; 500/1000*168 = 84; 1200 clamps to 1000 -> 192.
    expect(boxes(q)).toEqual([
      [17, 48, 84, 192],
      [0, 0, 168, 192],
    ]);
    expect(q.className).toEqual(["cat", "lion"]);
    expect(Array.from(q.classId)).toEqual([0, 2]);
    const loose = '{"x_min": 0, "y_min": 500, "x_max": 500, "y_max": 1000, "label": "dog"}, {"x_min": 500, "y_min": 0, "x_max": 1000, "y_max": 500, "label": ""}';
    expect(looseMuseEntries(loose)).toHaveLength(2);
    const muse = detect(2, loose, "muse");
    expect(muse["error_status"]).toBe(false);
    expect(boxes(muse["predictions"] as Detections)).toEqual([
      [0, 96, 84, 192],
      [84, 0, 168, 96],
    ]);
    expect((muse["predictions"] as Detections).className).toEqual(["dog", "unknown"]);
    // v1 knows no muse, and an unbracketed answer is no JSON for anyone else.
    expect(detect(2, loose, "google-gemini")["error_status"]).toBe(true);
  });

  it("florence-2 tasks: float32 boxes, class ids by MD5 (open tasks), by classes (open vocabulary), 0 otherwise", () => {
    const expected = [
      [434, Math.fround(30.848499298095703), Math.fround(760.4000244140625), Math.fround(530.4144897460938)],
      [Math.fround(0.4000000059604645), Math.fround(96.13949584960938), Math.fround(528.4000244140625), Math.fround(564.5574951171875)],
    ];
    for (const version of [1, 2] as const) {
      const od = detect(version, `{${FLORENCE_BOXES}, "labels": ["cat", "dog"]}`, "florence-2", "object-detection", ["cat", "dog"]);
      expect(boxes(od["predictions"] as Detections)).toEqual(expected);
      // Roboflow's test: [7725, 5324].
      expect(Array.from((od["predictions"] as Detections).classId)).toEqual([7725, 5324]);
      const grounded = detect(version, `{${FLORENCE_BOXES}, "labels": ["cat", "dog"]}`, "florence-2", "phrase-grounded-object-detection", ["cat", "dog"]);
      expect(Array.from((grounded["predictions"] as Detections).classId)).toEqual([7725, 5324]);
      const ov = detect(version, `{${FLORENCE_BOXES}, "bboxes_labels": ["cat", "dog"]}`, "florence-2", "open-vocabulary-object-detection", ["cat", "dog"]);
      expect(Array.from((ov["predictions"] as Detections).classId)).toEqual([0, 1]);
      const roi = detect(version, `{${FLORENCE_BOXES}, "labels": ["", ""]}`, "florence-2", "region-proposal", []);
      expect((roi["predictions"] as Detections).className).toEqual(["roi", "roi"]);
      expect(Array.from((roi["predictions"] as Detections).classId)).toEqual([0, 0]);
    }
    expect([florenceClassId("cat"), florenceClassId("dog")]).toEqual([7725, 5324]);
    const ocr = detect(
      2,
      '{"quad_boxes": [[1652.159912109375, 72.9000015258789, 1828.7999267578125, 70.74000549316406, 1828.7999267578125, 129.05999755859375, 1652.159912109375, 131.22000122070312]], "labels": ["veryfi"]}',
      "florence-2",
      "ocr-with-text-detection",
      [],
    );
    // The quad's enclosing box, as Roboflow's test: [1652.2, 70.74, 1828.8, 131.22].
    expect(boxes(ocr["predictions"] as Detections)).toEqual([[Math.fround(1652.159912109375), Math.fround(70.74000549316406), Math.fround(1828.7999267578125), Math.fround(131.22000122070312)]]);
    expect((ocr["predictions"] as Detections).className).toEqual(["veryfi"]);
  });

  it("no JSON, or an entry missing a coordinate, is error_status true with null predictions", () => {
    for (const text of ["invalid", "42", LLM_ANSWER.replace('"y_min": 0.30, ', "")]) {
      const out = detect(2, text, "google-gemini");
      expect(out).toEqual({ error_status: true, predictions: null, inference_id: "inference-1" });
    }
    // Claude's v2 parser needs class_name where Gemini's takes "unknown".
    const noName = LLM_ANSWER.replace('"class_name": "cat", "confidence": 1.98', '"confidence": 1.98');
    expect(detect(2, noName, "google-gemini")["error_status"]).toBe(false);
    expect(detect(2, noName, "anthropic-claude")["error_status"]).toBe(true);
  });
});

describe("vlm_as_classifier", () => {
  it("single label: every class listed, the named one with its clamped confidence, an unknown one first with id -1", () => {
    const out = classifyVlmOutput(image, '```json\n{"class_name": "car", "confidence": 0.7}\n```', ["car", "truck"], "i");
    expect(out).toEqual({
      error_status: false,
      inference_id: "i",
      predictions: {
        image: { width: 168, height: 192 },
        predictions: [
          { class: "car", class_id: 0, confidence: 0.7 },
          { class: "truck", class_id: 1, confidence: 0 },
        ],
        top: "car",
        confidence: 0.7,
        inference_id: "i",
        parent_id: "parent",
      },
    });
    const unknown = classifyVlmOutput(image, '{"class_name": "bus", "confidence": 1.5}', ["car", "truck"], "i");
    expect((unknown["predictions"] as { predictions: unknown[] }).predictions).toEqual([
      { class: "bus", class_id: -1, confidence: 1 },
      { class: "car", class_id: 0, confidence: 0 },
      { class: "truck", class_id: 1, confidence: 0 },
    ]);
  });

  it("multi label: the highest confidence of a class named twice, unknown classes added with id -1", () => {
    const out = classifyVlmOutput(
      image,
      '{"predicted_classes": [{"class": "cat", "confidence": 0.3}, {"class": "cat", "confidence": 0.8}, {"class": "fox", "confidence": -1}]}',
      ["cat", "dog"],
      "i",
    );
    expect(out["predictions"]).toEqual({
      image: { width: 168, height: 192 },
      predictions: { cat: { confidence: 0.8, class_id: 0 }, dog: { confidence: 0, class_id: 1 }, fox: { confidence: 0, class_id: -1 } },
      predicted_classes: ["cat", "fox"],
      inference_id: "i",
      parent_id: "parent",
    });
  });

  it("no JSON, or JSON of neither shape, is an error", () => {
    for (const text of ["not json", '{"label": "cat"}', '{"class_name": "cat", "confidence": "high"}', '["class_name", "confidence"]']) {
      expect(classifyVlmOutput(image, text, ["cat"], "i")).toEqual({ error_status: true, predictions: null, inference_id: "i" });
    }
  });
});

describe("VLM formatters in a workflow", () => {
  const engine = new WorkflowEngine({ registry: new BlockRegistry([vlmAsClassifierV1Block, vlmAsClassifierV2Block, vlmAsDetectorV1Block, vlmAsDetectorV2Block] as Block[]) });

  it("refuses at compile a model/task pair no parser reads, and a missing classes list", () => {
    const definition = (step: Record<string, unknown>) => ({
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowParameter", name: "text" }],
      steps: [{ type: "roboflow_core/vlm_as_detector@v2", name: "det", image: "$inputs.image", vlm_output: "$inputs.text", ...step }],
      outputs: [{ type: "JsonField", name: "p", selector: "$steps.det.predictions" }],
    });
    const compileError = (step: Record<string, unknown>): string => {
      try {
        engine.compile(definition(step));
      } catch (error) {
        return JSON.stringify(error) + String(error);
      }
      return "compiled";
    };
    expect(compileError({ model_type: "qwen", task_type: "region-proposal", classes: ["a"] })).toContain("Could not parse result of task region-proposal for model qwen");
    expect(compileError({ model_type: "openai", task_type: "object-detection" })).toContain("Must pass list of classes");
    expect(compileError({ model_type: "florence-2", task_type: "region-proposal" })).toBe("compiled");
  });

  it.skipIf(missing("a VLM answer about dog.jpg", { photos: ["dog.jpg"] }))("a Gemini answer about dog.jpg comes out in the wire format", async () => {
    const dog = await photo("dog.jpg");
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowParameter", name: "text" }],
      steps: [{ type: "roboflow_core/vlm_as_detector@v2", name: "det", image: "$inputs.image", vlm_output: "$inputs.text", classes: ["dog", "bicycle"], model_type: "google-gemini", task_type: "object-detection" }],
      outputs: [{ type: "JsonField", name: "p", selector: "$steps.det.predictions" }, { type: "JsonField", name: "e", selector: "$steps.det.error_status" }],
    };
    // dog.jpg is 768x576: box_2d [y 380..990, x 170..420] on 0-1000 -> x 130.56..322.56 -> 131..323, y 218.88..570.24 -> 219..570.
    const text = '```json\n[{"box_2d": [380, 170, 990, 420], "label": "dog"}]\n```';
    const { outputs } = await engine.run(definition, { image: dog, text });
    const out = outputs[0] as { p: { image: unknown; predictions: Record<string, unknown>[] }; e: boolean };
    expect(out.e).toBe(false);
    expect(out.p.image).toEqual({ width: 768, height: 576 });
    expect(out.p.predictions).toHaveLength(1);
    expect(out.p.predictions[0]).toMatchObject({ x: 227, y: 394.5, width: 192, height: 351, confidence: 1, class: "dog", class_id: 0, parent_id: "image" });
  });
});
