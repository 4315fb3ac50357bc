/**
 * `.build/image/`: the image's task root as functions/Dockerfile fills it — each entry of
 * infra/image-layout.ts copied from its build folder — after `npm run build` has written them.
 */
import { existsSync } from "node:fs";
import { cp, rm } from "node:fs/promises";
import { join } from "node:path";
import { BUILD_DIRS, IMAGE_LAYOUT } from "../../infra/image-layout.js";

export async function assembleImage(repo: string): Promise<string> {
  const image = join(repo, BUILD_DIRS.image);
  if (!existsSync(join(repo, "models", "registry.json"))) {
    throw new Error("models/registry.json is missing: run `npm run models`, or put a deployment's own models and registry.json in models/");
  }
  await rm(image, { recursive: true, force: true });
  for (const entry of IMAGE_LAYOUT) {
    const from = join(repo, entry.from);
    if (!existsSync(from)) throw new Error(`${entry.from} does not exist: run \`npm run build\` first`);
    await cp(from, join(image, entry.to), { recursive: true });
  }
  return image;
}
