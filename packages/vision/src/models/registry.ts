/**
 * The model registry: models/registry.json loaded once, model ids and aliases resolved to specs
 * and files. The folder is $CVFLOW_MODELS_DIR, else models/ under the working directory.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { invalidModel, modelNotInstalled, unknownModel } from "../errors.js";
import { CATALOGUE_MODELS } from "./catalogue.js";
import { parseRegistry, REGISTRY_FILE } from "./registry-file.js";
import type { ModelSpec } from "./types.js";

export function defaultModelsDir(): string {
  return resolve(process.env["CVFLOW_MODELS_DIR"] ?? "models");
}

export class ModelRegistry {
  private readonly byName = new Map<string, ModelSpec>();

  constructor(readonly dir: string, private readonly specs: readonly ModelSpec[]) {
    for (const spec of specs) {
      for (const name of [spec.id, ...spec.aliases]) {
        const taken = this.byName.get(name);
        if (taken && taken !== spec) throw new Error(`model registry: "${name}" names both ${taken.id} and ${spec.id}`);
        this.byName.set(name, spec);
      }
    }
  }

  /** Reads `<dir>/registry.json`; a missing file is the 503 that says how to make it. */
  static load(dir = defaultModelsDir()): ModelRegistry {
    const path = join(dir, REGISTRY_FILE);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      throw modelNotInstalled(`No model is installed (the models folder has no ${REGISTRY_FILE})`);
    }
    return new ModelRegistry(dir, parseRegistry(text, path));
  }

  spec(modelId: string): ModelSpec {
    const spec = this.byName.get(modelId);
    if (spec) return spec;
    const ids = this.specs.map((known) => known.id);
    // A model cvflow knows that this installation lacks: the server's fault, not the request's.
    if (CATALOGUE_MODELS.some((known) => known.id === modelId || known.aliases.includes(modelId))) {
      throw modelNotInstalled(`Model "${modelId}" is not installed on this server`, { model_id: modelId, available: ids });
    }
    throw unknownModel(
      modelId,
      ids,
      this.specs.flatMap((known) => known.aliases),
    );
  }

  list(): readonly ModelSpec[] {
    return this.specs;
  }

  /** The absolute path of one of the model's files, by role ("model", "det", "keys", ...). */
  file(spec: ModelSpec, role: string): string {
    const name = spec.files[role];
    if (!name) throw invalidModel(spec.id, role);
    return join(this.dir, name);
  }
}
