/**
 * models/registry.json: the catalogue's models with their class names, as `npm run models`
 * writes it and the registry loads it.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { CATALOGUE_MODELS, type CatalogueModel } from "./catalogue.js";
import { parseUltralyticsNames, readOnnxMetadata } from "./onnx-metadata.js";
import type { ModelSpec } from "./types.js";

export const REGISTRY_FILE = "registry.json";

export interface RegistryDocument {
  version: 1;
  models: ModelSpec[];
}

/**
 * The registry of the catalogued models whose files are all `available` (by default: in
 * `modelsDir`); the others are left out, so that what the registry lists can run.
 */
export async function buildRegistry(
  modelsDir: string,
  models: readonly CatalogueModel[] = CATALOGUE_MODELS,
  available: (file: string) => boolean = (file) => existsSync(join(modelsDir, file)),
): Promise<RegistryDocument> {
  const specs: ModelSpec[] = [];
  for (const { labels, ...spec } of models) {
    if (!modelFiles({ labels, ...spec }).every(available)) continue;
    specs.push({ ...spec, classes: await classNames(modelsDir, spec.files["model"], labels) });
  }
  return { version: 1, models: specs };
}

/** Every file a catalogued model needs under models/: its own files and its label file. */
export function modelFiles(model: CatalogueModel): string[] {
  return [...Object.values(model.files), ...("file" in model.labels ? [model.labels.file] : [])];
}

async function classNames(modelsDir: string, modelFile: string | undefined, labels: CatalogueModel["labels"]): Promise<string[]> {
  if (modelFile) {
    const names = readOnnxMetadata(await readFile(join(modelsDir, modelFile)))["names"];
    if (names) return parseUltralyticsNames(names);
  }
  if ("names" in labels) return labels.names;
  return (await readFile(join(modelsDir, labels.file), "utf8")).split("\n").filter((line) => line !== "");
}

/** The specs of a registry.json text; `where` names the file in errors. */
export function parseRegistry(text: string, where: string): ModelSpec[] {
  let document: Partial<RegistryDocument>;
  try {
    document = JSON.parse(text) as Partial<RegistryDocument>;
  } catch (error) {
    throw new Error(`${where}: ${(error as Error).message}; run \`npm run models\` to rewrite it`);
  }
  if (document.version !== 1 || !Array.isArray(document.models)) {
    throw new Error(`${where}: expected {"version": 1, "models": [...]}`);
  }
  for (const [index, spec] of document.models.entries()) {
    const fine =
      typeof spec?.id === "string" &&
      Array.isArray(spec.aliases) &&
      typeof spec.task === "string" &&
      typeof spec.files === "object" &&
      typeof spec.decoder === "string" &&
      Array.isArray(spec.classes) &&
      typeof spec.preprocessing === "object";
    if (!fine) throw new Error(`${where}: models[${index}] is not a model spec`);
  }
  return document.models;
}
