/**
 * The page's build (dist/, `npm run build:ui`) read into memory for the service, which reads no
 * file system itself (its StaticSite, @cvflow/service static-site.ts): every file by its path
 * below dist/, `/`-separated, or undefined while dist/ holds no index.html. Node only: the API
 * function reads the image's copy (CVFLOW_UI_DIR), the local stack this package's dist/.
 * Dotfiles are left out: the build's stamp (scripts/build-ui.ts) is no file of the page.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Where `npm run build:ui` writes (vite.config.ts `build.outDir`). */
export const DIST_DIR = fileURLToPath(new URL("../dist", import.meta.url));

export function staticSite(dir: string = DIST_DIR): { files(): Promise<ReadonlyMap<string, Uint8Array> | undefined> } {
  return { files: () => readSite(dir) };
}

async function readSite(dir: string): Promise<ReadonlyMap<string, Uint8Array> | undefined> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const paths = entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .filter((path) => !path.split("/").some((segment) => segment.startsWith(".")));
  if (!paths.includes("index.html")) return undefined;
  return new Map(await Promise.all(paths.map(async (path) => [path, new Uint8Array(await readFile(join(dir, path)))] as const)));
}
