/**
 * `npm run bench -- deploy`: the deployment's image, built as `npm run build:image` builds it.
 * - `image_size_mb`: the task root (.build/image) on disk: bundles, native modules, models, ffmpeg.
 * - `cold_start_ms`: a new process (Lambda's runtime as infra/test/lambda-invoke.ts plays it)
 *   imports the API bundle from the image, and answers a first Function URL request that loads
 *   the models: the detect -> crop -> classify demo on a photo. Median of 3, spawn to answer.
 */
import { readFileSync } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { BUILD_DIRS, IMAGE_LAYOUT } from "../infra/image-layout.js";
import { functionUrlEvent, startImageStack } from "../infra/test/image-harness.js";
import { assembleImage } from "../scripts/build/assemble-image.js";
import { bundleFunctions } from "../scripts/build/bundle-functions.js";
import { collectFfmpegBinaries } from "../scripts/build/ffmpeg-binaries.js";
import { collectNativeModules } from "../scripts/build/native-modules.js";
import { median, round, type BenchResult } from "./measure.js";

const REPO = resolve(fileURLToPath(new URL("..", import.meta.url)));
const COLD_STARTS = 3;

export async function* deployBench(): AsyncIterable<BenchResult> {
  await bundleFunctions(REPO);
  await collectNativeModules(REPO);
  await collectFfmpegBinaries(REPO);
  const image = await assembleImage(REPO);
  // Each entry of the layout on its own: the bundles' folder (the task root) without the others' folders.
  const folders = IMAGE_LAYOUT.map((entry) => entry.to).filter((to) => to !== "");
  const parts = Object.fromEntries(
    await Promise.all(IMAGE_LAYOUT.map(async (entry) => [entry.to || "bundles", round((await bytesIn(join(image, entry.to), entry.to === "" ? folders : [])) / 2 ** 20, 1)])),
  );
  yield { metric: "image_size_mb", value: round((await bytesIn(image)) / 2 ** 20, 1), unit: "MiB", target: "<= 1200", path: BUILD_DIRS.image, parts };

  const read = (file: string): unknown => JSON.parse(readFileSync(join(REPO, "examples", file), "utf8"));
  const photo = readFileSync(join(REPO, "examples/images/dog.jpg")).toString("base64");
  const stack = await startImageStack();
  try {
    const event = functionUrlEvent("POST", "/workflows/run", {
      headers: { authorization: `Bearer ${stack.apiKey}` },
      body: { specification: read("detect-crop-classify.workflow.json"), inputs: { image: { type: "base64", value: photo } }, excluded_fields: ["annotated"] },
    });
    const runs: number[] = [];
    for (let i = 0; i < COLD_STARTS; i++) {
      const { invocations, firstAnswerMs } = await stack.invoke("api", [event]);
      const answer = invocations[0]?.result as { statusCode?: number; body?: string } | undefined;
      if (answer?.statusCode !== 200) throw new Error(`the cold request answered ${answer?.statusCode}: ${answer?.body ?? invocations[0]?.error}`);
      runs.push(firstAnswerMs);
    }
    yield { metric: "cold_start_ms", value: round(median(runs), 0), unit: "ms", target: "<= 1500", runs: runs.map((ms) => round(ms, 0)), request: "detect-crop-classify on examples/images/dog.jpg" };
  } finally {
    await stack.close();
  }
}

/** Bytes of the files below `dir`, as the image's layer holds them; `skip`: subfolders counted elsewhere. */
async function bytesIn(dir: string, skip: readonly string[] = []): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.includes(`${entry.name}/`)) total += await bytesIn(path);
    } else total += (await lstat(path)).size;
  }
  return total;
}
