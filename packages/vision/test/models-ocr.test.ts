/** The OCR model wired through createVisionModels (the pipeline itself is tested in ocr-*.test.ts). */
import { describe, expect, test } from "vitest";
import { createVisionModels } from "../src/models/vision-models.js";
import { loadImage, missing, MODELS_DIR, titled } from "./models-fixtures.js";

const why = missing(
  ["registry.json", "ch_PP-OCRv4_det_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ppocr_keys_v1.txt"],
  ["ocr_care_label_en.jpg"],
);

describe.skipIf(why)(titled("ppocr-v4", why), () => {
  test("reads the care label's text (../shared/images/README.md) and holds its three sessions", async () => {
    const models = createVisionModels({ modelsDir: MODELS_DIR });
    const [result] = await models.ocr("ppocr-v4", [await loadImage("ocr_care_label_en.jpg")]);
    expect([result!.width, result!.height]).toEqual([1000, 667]);
    expect(result!.text).toContain("MACHINE WASH COLD");
    expect(result!.lines.length).toBeGreaterThanOrEqual(4);
    expect(models.sessions.stats.created).toBe(3);
    await expect(models.ocr("yolov8n-640", [])).rejects.toMatchObject({ code: "model_task_mismatch" });
  });
});
