/**
 * The functions' ESM bundles: one per entry of infra/function-settings.ts, with the code they
 * share split into chunks, into `.build/functions/` (`api.mjs`, `batch-worker.mjs`, …). Native
 * modules stay external: they are shipped installed, next to the bundles (native-modules.ts).
 */
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { build } from "esbuild";
import { FUNCTIONS } from "../../infra/function-settings.js";
import { BUILD_DIRS, NATIVE_EXTERNALS } from "../../infra/image-layout.js";

export interface BundleReport {
  /** Bundle and chunk files written, relative to the output folder, with their sizes. */
  files: { path: string; bytes: number }[];
}

/**
 * Worker threads the functions' code starts: entries of their own, emitted beside the bundles,
 * where the code starting them looks (packages/video's VideoSource for its frame reader).
 */
const WORKERS = [{ in: "packages/video/src/frame-reader-worker.ts", out: "frame-reader-worker" }];

export async function bundleFunctions(repo: string): Promise<BundleReport> {
  const outdir = join(repo, BUILD_DIRS.functions);
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: repo,
    entryPoints: [...Object.values(FUNCTIONS).map((fn) => ({ in: fn.entry, out: fn.bundle })), ...WORKERS],
    outdir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node24",
    external: [...NATIVE_EXTERNALS],
    // CommonJS dependencies bundled into ESM still call require() for Node's built-ins.
    banner: { js: 'import { createRequire as __cvflowCreateRequire } from "node:module"; const require = __cvflowCreateRequire(import.meta.url);' },
    legalComments: "none",
    metafile: true,
    logLevel: "warning",
  });
  const files = Object.entries(result.metafile.outputs).map(([path, output]) => ({ path: path.slice(BUILD_DIRS.functions.length + 1), bytes: output.bytes }));
  return { files: files.sort((a, b) => a.path.localeCompare(b.path)) };
}
