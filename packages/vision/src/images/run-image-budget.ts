/**
 * A run's image budget while it runs, whatever its data: the pixels of every image the run makes
 * are charged to it (its input images once they are admitted; each image a step makes from
 * pixels — a crop, a slice, a drawing on a copy, a filtered or resized image — as it is made), and
 * nothing is given back when an image is dropped, so that what a run holds at once is never more
 * than what it was allowed to make. Where a step knows the size of what it will make before
 * allocating (crops and slices from their boxes, a resize or a rotation from its target), it
 * checks the room for all of it first (`checkRunRoom`, `checkRunImage`), so that a request over
 * the budget is refused before anything is cut; the charge made as each image is made is the
 * backstop for the rest. Every image counts for at least MIN_IMAGE_CHARGE pixels. Instance masks
 * are charged too, at a third of their windows' pixels (one byte against three), as they are made
 * (bit-masks.ts); a model's masks are checked together before the first is made. Over the budget:
 * 413 `run_too_large`; an image larger than one image may be: 413 `image_too_many_pixels`; the
 * executor adds the step.
 *
 * The budget travels with the run in an AsyncLocalStorage store (`withRunImageBudget`, which the
 * engine's `runScope` puts around each run), so that it reaches every WorkflowImage made in the
 * run without being passed along. Outside a run (no store) nothing is counted.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { runCancelled } from "@cvflow/engine";
import { imageTooManyPixels, runTooLarge } from "../errors.js";
import { DEFAULT_MAX_PIXELS, DEFAULT_MAX_RUN_PIXELS, megapixels } from "./image-limits.js";

export interface RunImageLimits {
  /** Pixels of all the images one run makes; default 200 megapixels. */
  maxRunPixels?: number;
  /** Pixels of one image; default 40 megapixels. */
  maxImagePixels?: number;
}

/**
 * What an image counts for at least: 128 x 128 pixels. An image costs more than its pixels (its
 * object, its lineage, the records that carry it from step to step), and without a floor a run
 * could make millions of tiny ones (1-pixel slices of a large image) within its pixels.
 */
export const MIN_IMAGE_CHARGE = 128 * 128;

/**
 * A mask pixel is one byte (0 or 1) and an image pixel three (RGB): a mask is charged a third of
 * the pixels of its window, with no floor (there is one mask per detection, and a detection costs
 * more than its mask's record).
 */
const MASK_PIXELS_PER_IMAGE_PIXEL = 3;

function maskCharge(pixels: number): number {
  return Math.ceil(pixels / MASK_PIXELS_PER_IMAGE_PIXEL);
}

export class RunImageBudget {
  readonly maxRunPixels: number;
  readonly maxImagePixels: number;
  private charged = 0;
  private ended = false;

  constructor(limits: RunImageLimits = {}) {
    this.maxRunPixels = limits.maxRunPixels ?? DEFAULT_MAX_RUN_PIXELS;
    this.maxImagePixels = limits.maxImagePixels ?? DEFAULT_MAX_PIXELS;
  }

  /** Pixels charged so far. */
  get used(): number {
    return this.charged;
  }

  /**
   * Refuses (413 run_too_large) unless `count` more images of `pixels` in all fit, `what` naming
   * them; charges nothing.
   */
  checkRoom(count: number, pixels: number, what: string): void {
    this.refuseUnlessRoom(Math.max(pixels, count * MIN_IMAGE_CHARGE), what, "", "Use fewer or smaller crops, slices or images.");
  }

  /**
   * Refuses (413 run_too_large) unless masks of `pixels` in all (their windows) fit, `what`
   * naming them; charges nothing. A mask counts for a third of its pixels.
   */
  checkMaskRoom(pixels: number, what: string): void {
    this.refuseUnlessRoom(
      maskCharge(pixels),
      what,
      ` (${megapixels(pixels)} megapixels of masks, one byte a pixel, a third of an RGB pixel)`,
      "Use fewer detections (a higher confidence, a lower max_detections) or a smaller image.",
    );
  }

  /** A mask of `pixels` (its window) made, or about to be with nothing awaited in between: checked, then charged. */
  chargeMask(pixels: number, what: string): void {
    this.checkMaskRoom(pixels, what);
    this.charged += maskCharge(pixels);
  }

  private refuseUnlessRoom(requested: number, what: string, note: string, advice: string): void {
    // A step still at work after its run failed (or finished) makes nothing more.
    if (this.ended) throw runCancelled("The run is over: it makes no more images");
    if (this.charged + requested <= this.maxRunPixels) return;
    const left = this.maxRunPixels - this.charged;
    throw runTooLarge(
      `This run would make more images than it may: ${what} take ${megapixels(requested)} megapixels${note}, and ${megapixels(left)} of the run's ${megapixels(this.maxRunPixels)} megapixels are left. ${advice}`,
      { images: what, requested_megapixels: megapixels(requested), left_megapixels: megapixels(left), max_megapixels: megapixels(this.maxRunPixels) },
    );
  }

  /** Refuses (413 image_too_many_pixels) an image of width x height larger than one image may be. */
  checkImage(width: number, height: number): void {
    if (width * height > this.maxImagePixels) throw imageTooManyPixels(width, height, this.maxImagePixels);
  }

  /** Refuses an image of width x height unless one image may be that large and it fits; charges nothing. */
  checkImageRoom(width: number, height: number, what: string): void {
    this.checkImage(width, height);
    this.checkRoom(1, width * height, what);
  }

  /** An image of width x height made (or about to be, with nothing awaited in between): checked, then charged. */
  charge(width: number, height: number, what: string): void {
    this.checkImageRoom(width, height, what);
    this.charged += Math.max(width * height, MIN_IMAGE_CHARGE);
  }

  /** The run is over: whatever of it still runs makes no more images. */
  end(): void {
    this.ended = true;
  }
}

const current = new AsyncLocalStorage<RunImageBudget>();

/** Runs `run` with `budget` as the budget of every image made inside it; ends the budget when it settles. */
export async function withRunImageBudget<T>(budget: RunImageBudget, run: () => Promise<T>): Promise<T> {
  try {
    return await current.run(budget, run);
  } finally {
    budget.end();
  }
}

/**
 * Before a step makes `count` images of `pixels` in all (crops, slices: none larger than their
 * image): refuses them unless they fit in what is left of the run's budget. Nothing is charged
 * here: each image is charged as it is made.
 */
export function checkRunRoom(count: number, pixels: number, what: string): void {
  current.getStore()?.checkRoom(count, pixels, what);
}

/** Before a step makes an image of width x height (a resize, a rotation): refuses it unless one image may be that large and it fits. */
export function checkRunImage(width: number, height: number, what: string): void {
  current.getStore()?.checkImageRoom(width, height, what);
}

/**
 * Before a step makes masks of `pixels` in all (the sum of their windows): refuses them unless they
 * fit in what is left of the run's budget. Nothing is charged here: each mask is charged as it is made.
 */
export function checkRunMasks(pixels: number, what: string): void {
  current.getStore()?.checkMaskRoom(pixels, what);
}

/** A mask of `pixels` (its window) made in this run: charged to its budget, if it has one. */
export function chargeRunMask(pixels: number, what: string): void {
  current.getStore()?.chargeMask(pixels, what);
}

/** An image of width x height made in this run: charged to its budget, if it has one. */
export function chargeRunImage(width: number, height: number, what: string): void {
  current.getStore()?.charge(width, height, what);
}
