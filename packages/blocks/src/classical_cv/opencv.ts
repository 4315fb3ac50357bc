/**
 * OpenCV for the blocks that need it: @techstark/opencv-js (OpenCV 4.12 compiled to wasm, one
 * 10.9 MB file). It is loaded on the first call of `opencv()` — about 0.6 s, once per process —
 * so that a process whose workflows use no such block never pays for it.
 *
 * Two things about the module: it is an Emscripten module whose object is a thenable (its `then`
 * calls back with the module itself, so awaiting it as it is loops forever); we take it through
 * `then` once and delete the method. The functions' bundles leave the package external
 * (infra/image-layout.ts), so require() finds it installed beside them. And Emscripten's start-up adds process listeners (an
 * `unhandledRejection` that aborts the wasm runtime, an `uncaughtException` that rethrows); they
 * are removed again, so that the process's own error handling is what it was.
 *
 * Mats live on the wasm heap, which is not garbage collected: every Mat made must be deleted.
 * `withMats` runs a function with a scope that deletes, whatever happens, every Mat it tracked.
 * The heap grows as needed (up to 1 GiB) and does not shrink.
 */
import { createRequire } from "node:module";
import type { CV, Mat } from "@techstark/opencv-js";
import type { RawPixels } from "@cvflow/vision";

export type { CV, Mat };

let loading: Promise<CV> | undefined;

/** The OpenCV module, loaded on first use. */
export function opencv(): Promise<CV> {
  loading ??= load();
  return loading;
}

const EMSCRIPTEN_EVENTS = ["unhandledRejection", "uncaughtException"] as const;

async function load(): Promise<CV> {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(EMSCRIPTEN_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  // require, not import(): an import() promise would adopt the thenable through whatever
  // namespace object the loader makes of this CommonJS module (vitest's copies `then` onto it).
  const module = await ready(createRequire(import.meta.url)("@techstark/opencv-js") as Thenable);
  for (const event of EMSCRIPTEN_EVENTS) {
    for (const listener of emitter.listeners(event)) if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
  }
  return module;
}

interface Thenable {
  then?: (callback: (module: Thenable) => void) => unknown;
}

/** The module once its runtime is initialised, with its `then` gone (see the file's comment). */
function ready(module: Thenable): Promise<CV> {
  return new Promise((resolve) => {
    const done = (initialised: Thenable): void => {
      delete initialised.then;
      resolve(initialised as unknown as CV);
    };
    if (typeof module.then === "function") module.then(done);
    else done(module);
  });
}

/** Tracks the Mats (and other wasm objects) made inside `withMats`, to delete them at its end. */
export interface MatScope {
  /** Registers `object` for deletion at the scope's end and returns it. */
  track<T extends { delete(): void }>(object: T): T;
  /** A new empty Mat, tracked. */
  mat(): Mat;
  /** A Mat holding a copy of `pixels` (8-bit, 1 or 3 channels, channel order as given), tracked. */
  fromPixels(pixels: RawPixels): Mat;
  /**
   * One channel of `pixels` as OpenCV's RGB2GRAY makes it (a one-channel image as it is), tracked:
   * the same values as classical_cv/grayscale.ts, made on the wasm heap for what follows there.
   */
  gray(pixels: RawPixels): Mat;
}

/**
 * Runs `fn` with OpenCV and a scope; every object the scope tracked is deleted when `fn` ends,
 * returns or throws. What `fn` returns must not be a tracked object (copy pixels out with `toPixels`).
 */
export async function withMats<T>(fn: (cv: CV, scope: MatScope) => T | Promise<T>): Promise<T> {
  const cv = await opencv();
  const tracked: { delete(): void }[] = [];
  const scope: MatScope = {
    track(object) {
      tracked.push(object);
      return object;
    },
    mat() {
      return scope.track(new cv.Mat());
    },
    fromPixels(pixels) {
      const mat = scope.track(new cv.Mat(pixels.height, pixels.width, pixels.channels === 1 ? cv.CV_8UC1 : cv.CV_8UC3));
      mat.data.set(pixels.data);
      return mat;
    },
    gray(pixels) {
      const mat = scope.fromPixels(pixels);
      if (pixels.channels === 1) return mat;
      const gray = scope.mat();
      cv.cvtColor(mat, gray, cv.COLOR_RGB2GRAY);
      return gray;
    },
  };
  try {
    return await fn(cv, scope);
  } finally {
    for (const object of tracked.reverse()) object.delete();
  }
}

/** A contiguous copy of `mat` (a new Mat of its class: no need for the module here). */
function copyOf(mat: Mat): Mat {
  const copy = new (mat.constructor as new () => Mat)();
  mat.copyTo(copy);
  return copy;
}

/** A copy of an 8-bit, 1- or 3-channel Mat's pixels (the copy outlives the Mat). */
export function toPixels(mat: Mat): RawPixels {
  const channels = mat.channels();
  if (mat.depth() !== 0 || (channels !== 1 && channels !== 3)) throw new Error(`toPixels takes 8-bit Mats of 1 or 3 channels; got depth ${mat.depth()}, ${channels} channels`);
  // An ROI's rows are not contiguous on the heap: a copy's are. Not clone(): in opencv-js 4.12 it
  // shares the pixels (and an ROI's clone stays non-contiguous); copyTo into a new Mat copies.
  const source = mat.isContinuous() ? mat : copyOf(mat);
  try {
    // `data` is a view of the wasm heap: slice() copies it out.
    return { data: source.data.slice(0, mat.cols * mat.rows * channels), width: mat.cols, height: mat.rows, channels };
  } finally {
    if (source !== mat) source.delete();
  }
}
