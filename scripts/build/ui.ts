/**
 * The debugger page's build (packages/ui → packages/ui/dist, Vite), only when what it is made of
 * changed since the last one: its sources, config and package files, the sources of the workspace
 * packages it bundles (@cvflow/sdk, @cvflow/wire, …), and the lock file. Their hash is stamped in
 * dist/ after a build; an equal stamp means the build is current.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { build } from "vite";

/** Beside the build's files; a dotfile, which the page's loader (@cvflow/ui/site) leaves out. */
const STAMP = ".source-hash";
const UI = "packages/ui";
/** What of packages/ui the build reads (tests and the node-side loader are not in the page). */
const UI_INPUTS = ["index.html", "vite.config.ts", "package.json", "tsconfig.json", "src", "public"];

export type UiBuild = { built: false; hash: string } | { built: true; hash: string; ms: number };

export async function buildUiIfStale(repo: string, options: { force?: boolean } = {}): Promise<UiBuild> {
  const dist = join(repo, UI, "dist");
  const hash = await sourceHash(repo);
  const stamp = join(dist, STAMP);
  if (!options.force && existsSync(join(dist, "index.html")) && existsSync(stamp) && (await readFile(stamp, "utf8")).trim() === hash) return { built: false, hash };
  const started = performance.now();
  await build({ configFile: join(repo, UI, "vite.config.ts"), root: join(repo, UI), logLevel: "warn" });
  await writeFile(stamp, `${hash}\n`);
  return { built: true, hash, ms: Math.round(performance.now() - started) };
}

/** The hash of every input's path and bytes, in a fixed order. */
export async function sourceHash(repo: string): Promise<string> {
  const hash = createHash("sha256");
  for (const file of await inputFiles(repo)) hash.update(`${file}\0`).update(await readFile(join(repo, file))).update("\0");
  return hash.digest("hex");
}

async function inputFiles(repo: string): Promise<string[]> {
  const roots = [...UI_INPUTS.map((input) => `${UI}/${input}`), "package-lock.json"];
  for (const dir of await bundledPackages(repo)) roots.push(`${dir}/package.json`, `${dir}/src`);
  const files = await Promise.all(roots.map((root) => filesUnder(repo, root)));
  return files.flat().sort();
}

/** The folders of the workspace packages the page bundles: its @cvflow dependencies, and theirs. */
async function bundledPackages(repo: string): Promise<string[]> {
  const found = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    const manifest = JSON.parse(await readFile(join(repo, dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    for (const name of Object.keys(manifest.dependencies ?? {}).filter((n) => n.startsWith("@cvflow/"))) {
      const folder = `packages/${name.slice("@cvflow/".length)}`;
      if (!existsSync(join(repo, folder, "package.json"))) throw new Error(`${dir} depends on ${name}, which is not at ${folder}`);
      if (!found.has(folder)) {
        found.add(folder);
        await visit(folder);
      }
    }
  };
  await visit(UI);
  return [...found];
}

/** A file, or every file below a folder (repository-relative, `/`-separated); nothing when it does not exist. */
async function filesUnder(repo: string, path: string): Promise<string[]> {
  const full = join(repo, path);
  if (!existsSync(full)) return [];
  const entries = await readdir(full, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOTDIR") return undefined;
    throw error;
  });
  if (!entries) return [path];
  return entries.filter((entry) => entry.isFile()).map((entry) => relative(repo, join(entry.parentPath, entry.name)).split(sep).join("/"));
}
