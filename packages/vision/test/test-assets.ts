/**
 * What tests need from outside the repository, and the one place that decides whether a test
 * that needs it runs. Two things live outside: the ONNX models that `npm run models` installs in
 * models/ ($CVFLOW_MODELS_DIR), and the project's shared test photos in ../shared/images, which a
 * clone does not have. The repository's own photos (examples/images) are always there.
 *
 * `missing()` answers for a suite: undefined when it can run, else one line naming what is absent
 * and how to get it, which it prints, so that a skip is never silent. Under
 * CVFLOW_REQUIRE_TEST_ASSETS=1 (.ci/run, which has ../shared and installs the models) an absence
 * is an error instead: a suite that needs the models cannot skip unnoticed where they should be.
 *
 * Imported as `@cvflow/vision/test-assets` by every package's tests and test/.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseRegistry, REGISTRY_FILE } from "../src/models/registry-file.js";
import type { ModelSpec } from "../src/models/types.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** models/ at the repository's root, or $CVFLOW_MODELS_DIR as for the registry. */
export const MODELS_DIR = process.env["CVFLOW_MODELS_DIR"] ? resolve(process.env["CVFLOW_MODELS_DIR"]) : join(ROOT, "models");
/** The project's shared test photos, beside the repository; absent from a clone. */
export const SHARED_PHOTOS_DIR = join(ROOT, "..", "shared", "images");
/** The repository's own photos (licences in its README). */
export const EXAMPLE_PHOTOS_DIR = join(ROOT, "examples", "images");

/** The path of a shared photo, by its name under ../shared/images ("bus.jpg", "roboflow/dogs.jpg"). */
export function sharedPhoto(name: string): string {
  return join(SHARED_PHOTOS_DIR, name);
}

/** The path of one of the repository's photos, by its name under examples/images. */
export function examplePhoto(name: string): string {
  return join(EXAMPLE_PHOTOS_DIR, name);
}

export interface Needs {
  /** Model ids (or aliases) that must be in models/registry.json with all their files. */
  models?: readonly string[];
  /** Shared photos, by their names under ../shared/images. */
  photos?: readonly string[];
}

/**
 * Why `suite` cannot run here — each absent model or photo and how to get it, on one line — or
 * undefined when it can. The line is printed; under CVFLOW_REQUIRE_TEST_ASSETS=1 it is thrown.
 */
export function missing(suite: string, needs: Needs): string | undefined {
  const models = (needs.models ?? []).filter((id) => !modelInstalled(id));
  const photos = (needs.photos ?? []).filter((name) => !existsSync(sharedPhoto(name)));
  const reasons = [
    ...(models.length ? [`${modelsDirName()} lacks ${models.join(", ")}: run \`npm run models\``] : []),
    ...(photos.length ? [`${photos.map((name) => `../shared/images/${name}`).join(", ")} ${photos.length > 1 ? "are" : "is"} absent (the project's shared test photos, not part of the repository)`] : []),
  ];
  if (!reasons.length) return undefined;
  return skipping(suite, reasons);
}

/** The one line saying why `suite` skips, printed and returned; under CVFLOW_REQUIRE_TEST_ASSETS=1 it is thrown. */
export function skipping(suite: string, reasons: readonly string[]): string {
  const line = `skipped "${suite}": ${reasons.join("; ")}`;
  // Set by .ci/run: there, a test that would skip for want of what it needs fails instead.
  if (process.env["CVFLOW_REQUIRE_TEST_ASSETS"] === "1") throw new Error(`CVFLOW_REQUIRE_TEST_ASSETS=1, so this may not skip: ${line}`);
  console.warn(line);
  return line;
}

function modelsDirName(): string {
  return process.env["CVFLOW_MODELS_DIR"] ? `$CVFLOW_MODELS_DIR (${process.env["CVFLOW_MODELS_DIR"]})` : "models/";
}

let installed: ModelSpec[] | undefined;

/** Whether models/registry.json lists `id` (or an alias) and every file of that model is in models/. */
function modelInstalled(id: string): boolean {
  const registry = join(MODELS_DIR, REGISTRY_FILE);
  installed ??= existsSync(registry) ? parseRegistry(readFileSync(registry, "utf8"), registry) : [];
  const spec = installed.find((known) => known.id === id || known.aliases.includes(id));
  return spec !== undefined && Object.values(spec.files).every((file) => existsSync(join(MODELS_DIR, file)));
}
