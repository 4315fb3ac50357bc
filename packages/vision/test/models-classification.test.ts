/** MobileNetV2 (ImageNet) against the top-5 listed in ../shared/models/README.md; batching. */
import { describe, expect, test, vi } from "vitest";
import { WorkflowImage, inputLineage } from "../src/images/workflow-image.js";
import type { ClassificationResult } from "../src/models/types.js";
import { createVisionModels } from "../src/models/vision-models.js";
import { loadImage } from "./models-fixtures.js";
import { missing, MODELS_DIR } from "./test-assets.js";

const why = missing("mobilenetv2-imagenet", { models: ["mobilenetv2-imagenet"], photos: ["dog.jpg", "chelsea.png"] });

describe.skipIf(why)("mobilenetv2-imagenet", () => {
  const models = createVisionModels({ modelsDir: MODELS_DIR, maxBatchSize: 4 });

  test("dog.jpg is an Alaskan Malamute, chelsea.png an Egyptian Mau (through the reference suite's alias)", async () => {
    const [dog, cat] = await models.classify("dog-breed-xpaq6/1", [await loadImage("dog.jpg"), await loadImage("chelsea.png")]);
    expect(dog!.multiLabel).toBe(false);
    expect(dog!.scores).toHaveLength(1000);
    expect(dog!.scores[0]).toMatchObject({ className: "Alaskan Malamute", classId: 249 });
    expect(dog!.scores[0]!.confidence).toBeCloseTo(0.756, 1);
    expect(dog!.scores.slice(0, 5).map((score) => score.classId).sort()).toEqual([235, 248, 249, 250, 537]);
    expect(cat!.scores[0]).toMatchObject({ className: "Egyptian Mau", classId: 285 });
    expect(cat!.scores.slice(0, 3).map((score) => score.className)).toEqual(["Egyptian Mau", "tiger cat", "tabby cat"]);
    expect(dog!.scores.reduce((sum, score) => sum + score.confidence, 0)).toBeCloseTo(1, 4);
  });

  test("a batch of 6 crops equals 6 single runs, in ceil(6 / maxBatchSize) session runs", async () => {
    const dog = new WorkflowImage(await loadImage("dog.jpg"), inputLineage("dog"));
    const crops = [
      [0, 0, 768, 576], [100, 200, 320, 560], [120, 120, 580, 430], [450, 60, 700, 180], [0, 0, 300, 300], [300, 250, 768, 576],
    ].map(([x1, y1, x2, y2]) => dog.crop(x1!, y1!, x2!, y2!, "dog").pixels);
    const singles: ClassificationResult[] = [];
    for (const crop of crops) singles.push((await models.classify("mobilenetv2-imagenet", [crop]))[0]!);

    const lease = await models.sessions.lease(models.registry.file(models.spec("mobilenetv2-imagenet"), "model"));
    const runs = vi.spyOn(lease.session, "run");
    const batched = await models.classify("mobilenetv2-imagenet", crops);
    expect(runs).toHaveBeenCalledTimes(2);
    runs.mockRestore();
    lease.release();

    batched.forEach((result, i) => {
      const single = new Map(singles[i]!.scores.map((score) => [score.classId, score.confidence]));
      for (const score of result.scores) expect(Math.abs(score.confidence - single.get(score.classId)!)).toBeLessThanOrEqual(1e-4);
      expect([result.width, result.height]).toEqual([crops[i]!.width, crops[i]!.height]);
    });
  });

  test("a detector is not a classifier; an aborted signal stops the run", async () => {
    await expect(models.classify("yolov8n-640", [])).rejects.toMatchObject({ code: "model_task_mismatch", status: 400 });
    const dog = await loadImage("dog.jpg");
    await expect(models.classify("mobilenetv2-imagenet", [dog], {}, AbortSignal.abort(new Error("cancelled")))).rejects.toThrow("cancelled");
  });
});
