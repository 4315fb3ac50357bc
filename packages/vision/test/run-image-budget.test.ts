/**
 * The image budget a run carries while it runs: what is charged (images made from pixels, at
 * least 128 x 128 each; not an input's pixels to come, nor a drawing in place), what is refused
 * and with which details, one budget per run, and nothing more made once the run is over.
 */
import { describe, expect, it } from "vitest";
import { WorkflowError } from "@cvflow/engine";
import { chargeRunImage, checkRunImage, checkRunRoom, inputLineage, MIN_IMAGE_CHARGE, RunImageBudget, withRunImageBudget, WorkflowImage } from "../src/index.js";

const pixels = (width: number, height: number) => ({ data: new Uint8Array(width * height * 3), width, height, channels: 3 as const });

function thrown(run: () => unknown): WorkflowError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError);
    return error as WorkflowError;
  }
  throw new Error("nothing was thrown");
}

describe("a run's image budget", () => {
  it("charges each image made from pixels in the run, at least 128x128, and refuses what does not fit with what was asked, what is left and the maximum", async () => {
    const budget = new RunImageBudget({ maxRunPixels: 1_000_000 });
    await withRunImageBudget(budget, async () => {
      const image = new WorkflowImage(pixels(500, 400), inputLineage("a"));
      expect(budget.used).toBe(200_000);
      image.crop(0, 0, 10, 10, "c");
      expect(budget.used).toBe(200_000 + MIN_IMAGE_CHARGE);
      // Drawn in place: the same pixels again, nothing new.
      image.withPixels(image.pixels);
      expect(budget.used).toBe(200_000 + MIN_IMAGE_CHARGE);
      const error = thrown(() => checkRunRoom(2, 900_000, "2 crops"));
      expect([error.status, error.code]).toEqual([413, "run_too_large"]);
      expect(error.details).toEqual({ images: "2 crops", requested_megapixels: 0.9, left_megapixels: 0.8, max_megapixels: 1 });
      // 50 images of one pixel count for 50 x 128 x 128, over what is left.
      expect(thrown(() => checkRunRoom(50, 50, "50 slices")).details).toMatchObject({ requested_megapixels: 0.8 });
      checkRunRoom(2, 780_000, "2 crops");
      expect(budget.used).toBe(200_000 + MIN_IMAGE_CHARGE);
      chargeRunImage(800, 900, "an image");
      expect(thrown(() => image.crop(0, 0, 500, 400, "whole")).details).toMatchObject({ images: "a crop of 500x400", requested_megapixels: 0.2 });
    });
  });

  it("refuses an image larger than one image may be, before it is made", async () => {
    await withRunImageBudget(new RunImageBudget({ maxImagePixels: 1000 }), async () => {
      const error = thrown(() => checkRunImage(40, 30, "the resized image"));
      expect([error.status, error.code, error.details]).toEqual([413, "image_too_many_pixels", { width: 40, height: 30, max_pixels: 1000 }]);
    });
  });

  it("does not charge an input's pixels to come (the run admits its inputs), nor anything outside a run", async () => {
    const budget = new RunImageBudget();
    const decode = async () => pixels(100, 100);
    await withRunImageBudget(budget, async () => {
      await new WorkflowImage({ width: 100, height: 100, channels: 3, decode }, inputLineage("a")).load();
    });
    expect(budget.used).toBe(0);
    // No run: nothing to charge, nothing refused.
    chargeRunImage(100_000, 100_000, "anything");
    checkRunRoom(1, 1e12, "anything");
  });

  it("is one per run, across awaits, and takes no more images once its run is over", async () => {
    const a = new RunImageBudget();
    const b = new RunImageBudget();
    let release!: () => void;
    const afterTheRun = new Promise<void>((resolve) => (release = resolve));
    let late: Promise<unknown> | undefined;
    await Promise.all([
      withRunImageBudget(a, async () => {
        await new Promise((resolve) => setImmediate(resolve));
        chargeRunImage(200, 200, "an image");
        // Work of run a that goes on after it has ended (a step the run no longer waits for).
        late = afterTheRun.then(() => chargeRunImage(200, 200, "an image after the run"));
      }),
      withRunImageBudget(b, async () => chargeRunImage(300, 300, "an image")),
    ]);
    expect([a.used, b.used]).toEqual([40_000, 90_000]);
    release();
    await expect(late).rejects.toMatchObject({ code: "run_cancelled" });
    expect(a.used).toBe(40_000);
  });
});
