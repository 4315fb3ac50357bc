/** The OCR model wired through createVisionModels (the pipeline itself is tested in ocr-*.test.ts). */
import { describe, expect, test } from "vitest";
import { createVisionModels } from "../src/models/vision-models.js";
import { loadExample } from "./models-fixtures.js";
import { missing, MODELS_DIR } from "./test-assets.js";

const why = missing("ppocr-v4", { models: ["ppocr-v4"] });

describe.skipIf(why)("ppocr-v4", () => {
  test("reads the care label's text (examples/images/care-label.jpg) and holds its three sessions", async () => {
    const models = createVisionModels({ modelsDir: MODELS_DIR });
    const [result] = await models.ocr("ppocr-v4", [await loadExample("care-label.jpg")]);
    expect([result!.width, result!.height]).toEqual([1000, 667]);
    expect(result!.text).toContain("MACHINE WASH COLD");
    expect(result!.lines.length).toBeGreaterThanOrEqual(4);
    expect(models.sessions.stats.created).toBe(3);
  });

  test.skipIf(missing("ocr() with a detector", { models: ["yolov8n-640"] }))("refuses a model of another task", async () => {
    const models = createVisionModels({ modelsDir: MODELS_DIR });
    await expect(models.ocr("yolov8n-640", [])).rejects.toMatchObject({ code: "model_task_mismatch", status: 400 });
  });
});
