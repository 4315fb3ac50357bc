/** Shared by the models-*.test.ts files: where models and photos are, and how to skip without them. */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import type { RawPixels } from "../src/images/workflow-image.js";

/** models/ at the repository's root, or $CVFLOW_MODELS_DIR as for the registry. */
export const MODELS_DIR = process.env["CVFLOW_MODELS_DIR"]
  ? resolve(process.env["CVFLOW_MODELS_DIR"])
  : fileURLToPath(new URL("../../../models/", import.meta.url));
export const SHARED_DIR = fileURLToPath(new URL("../../../../shared/", import.meta.url));
export const IMAGES_DIR = join(SHARED_DIR, "images");

/** Why a suite cannot run (files missing from models/ or the shared photos), or undefined when it can. */
export function missing(modelFiles: readonly string[], images: readonly string[] = []): string | undefined {
  const absentModels = modelFiles.filter((file) => !existsSync(join(MODELS_DIR, file)));
  const absentImages = images.filter((file) => !existsSync(join(IMAGES_DIR, file)));
  const reasons = [
    ...(absentModels.length ? [`models/ lacks ${absentModels.join(", ")}: run \`npm run models\``] : []),
    ...(absentImages.length ? [`../shared/images lacks ${absentImages.join(", ")}`] : []),
  ];
  return reasons.length ? `skipped: ${reasons.join("; ")}` : undefined;
}

/** A suite title that says why it was skipped. */
export function titled(title: string, why: string | undefined): string {
  return why ? `${title} (${why})` : title;
}

export async function loadImage(name: string): Promise<RawPixels> {
  const { data, info } = await sharp(join(IMAGES_DIR, name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height, channels: 3 };
}

export type Box = readonly [number, number, number, number];

export function iou(a: Box, b: Box): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

export function boxAt(boxes: Float32Array, i: number): Box {
  return [boxes[i * 4]!, boxes[i * 4 + 1]!, boxes[i * 4 + 2]!, boxes[i * 4 + 3]!];
}
