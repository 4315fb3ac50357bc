/** One image's files in the output folder, in the layout of a batch job (docs/batch.md). */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { imageOutputFiles, resultDocument, type ResultDocument } from "@cvflow/batch/output";

export const RESULTS_FILE = "results.json";

/** `{image}/results.json`, and `{image}/<output>.jpg` (nested: `<output>/<index>.jpg`) when images are saved. */
export async function writeImageResult(
  outputDirectory: string,
  name: string,
  source: string,
  outputs: Readonly<Record<string, unknown>>,
  saveImageOutputs: boolean,
): Promise<ResultDocument> {
  const folder = join(outputDirectory, name);
  await mkdir(folder, { recursive: true });
  if (saveImageOutputs) {
    for (const file of imageOutputFiles(outputs)) {
      const path = join(folder, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.bytes);
    }
  }
  const document = resultDocument(name, source, outputs, saveImageOutputs);
  await writeFile(join(folder, RESULTS_FILE), `${JSON.stringify(document, null, 2)}\n`);
  return document;
}

/** An image that failed after an earlier success (with --force-reprocessing) keeps no stale results. */
export async function removeImageResult(outputDirectory: string, name: string): Promise<void> {
  await rm(join(outputDirectory, name, RESULTS_FILE), { force: true });
}
