/** What the tests that run real models on real photos share; gate them with `missing()` from @cvflow/vision/test-assets. */
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { createWorkflowEngine } from "@cvflow/blocks";
import type { WorkflowEngine, WirePrediction } from "@cvflow/engine";
import { createVisionModels, type LocalVisionModels } from "@cvflow/vision";
import { MODELS_DIR, sharedPhoto } from "@cvflow/vision/test-assets";

let models: LocalVisionModels | undefined;
export function visionModels(): LocalVisionModels {
  models ??= createVisionModels({ modelsDir: MODELS_DIR });
  return models;
}

export function visionEngine(): WorkflowEngine {
  return createWorkflowEngine({ models: visionModels() });
}

/** A shared photo (../shared/images) as the wire format sends it. */
export function photo(name: string): { type: "base64"; value: string } {
  return { type: "base64", value: readFileSync(sharedPhoto(name)).toString("base64") };
}

/** A JPEG of one colour, made here (no photo needed), as the wire format sends it. */
export async function plainJpeg(width = 96, height = 64): Promise<{ type: "base64"; value: string }> {
  const jpeg = await sharp({ create: { width, height, channels: 3, background: "#305070" } }).jpeg().toBuffer();
  return { type: "base64", value: jpeg.toString("base64") };
}

export async function decodeWireImage(image: unknown): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { value } = image as { value: string };
  const { data, info } = await sharp(Buffer.from(value, "base64")).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

export function xyxy(p: WirePrediction): [number, number, number, number] {
  return [p.x - p.width / 2, p.y - p.height / 2, p.x + p.width / 2, p.y + p.height / 2];
}

export function iou(a: readonly number[], b: readonly number[]): number {
  const w = Math.min(a[2]!, b[2]!) - Math.max(a[0]!, b[0]!);
  const h = Math.min(a[3]!, b[3]!) - Math.max(a[1]!, b[1]!);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / ((a[2]! - a[0]!) * (a[3]! - a[1]!) + (b[2]! - b[0]!) * (b[3]! - b[1]!) - inter);
}

/** For each expected box, the best IoU among the actual ones. */
export function bestIous(actual: readonly (readonly number[])[], expected: readonly (readonly number[])[]): number[] {
  return expected.map((e) => Math.max(0, ...actual.map((a) => iou(a, e))));
}
