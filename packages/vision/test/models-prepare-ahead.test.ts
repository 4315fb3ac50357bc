/**
 * prepareAhead: an image's detector input made before its run is the one the run takes — same
 * detections, the image resized once — and only detectors, known ones, take it.
 */
import { describe, expect, test, vi } from "vitest";
import { inputImageId } from "../src/images/input-lineage.js";
import { WorkflowImage } from "../src/images/workflow-image.js";
import { createVisionModels } from "../src/models/vision-models.js";
import { loadImage } from "./models-fixtures.js";
import { missing, MODELS_DIR } from "./test-assets.js";

const models = createVisionModels({ modelsDir: MODELS_DIR });

async function busImage(): Promise<WorkflowImage> {
  const id = inputImageId("/inputs/image");
  return new WorkflowImage(await loadImage("bus.jpg"), { parentId: id, parentOrigin: null, rootParentId: id, rootOrigin: null });
}

describe.skipIf(missing("yolov8n-640", { models: ["yolov8n-640", "mobilenetv2-imagenet"], photos: ["bus.jpg"] }))("prepareAhead", () => {
  test("the run takes the input prepared ahead: the same detections, one resize", async () => {
    const [plain] = await models.detect("yolov8n-640", [await busImage()]);
    const image = await busImage();
    const resized = vi.spyOn(image, "resized");
    models.prepareAhead("yolov8n-640", image);
    models.prepareAhead("yolov8n-640", image); // a second call for the same image and model adds nothing
    expect(resized).toHaveBeenCalledTimes(1);
    const [ahead] = await models.detect("yolov8n-640", [image]);
    expect(resized).toHaveBeenCalledTimes(1);
    expect(ahead!.className).toEqual(plain!.className);
    expect(Array.from(ahead!.boxes)).toEqual(Array.from(plain!.boxes));
    expect(Array.from(ahead!.confidence)).toEqual(Array.from(plain!.confidence));
    // Taken once: the next run of the same image prepares its input again.
    await models.detect("yolov8n-640", [image]);
    expect(resized).toHaveBeenCalledTimes(2);
  });

  test("a classifier or an unknown model ignores it", async () => {
    const image = await busImage();
    const resized = vi.spyOn(image, "resized");
    models.prepareAhead("mobilenetv2-imagenet", image);
    models.prepareAhead("no-such-model", image);
    expect(resized).not.toHaveBeenCalled();
  });
});
