/** The debugger page's build (packages/ui/dist), made when absent so that one browser test file runs on its own. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const UI_DIST = join(ROOT, "packages", "ui", "dist");
/** Created while one process builds (mkdir is atomic): test files started together build once. */
const LOCK = join(ROOT, "packages", "ui", ".build-lock");

export async function ensureBuilt(): Promise<void> {
  const built = () => existsSync(join(UI_DIST, "index.html"));
  while (!built()) {
    try {
      mkdirSync(LOCK);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (!built()) execFileSync(process.execPath, [join(ROOT, "node_modules", "vite", "bin", "vite.js"), "build", join(ROOT, "packages", "ui")], { stdio: "pipe" });
    } finally {
      rmdirSync(LOCK);
    }
  }
}

/** Every JavaScript file of the build, with its size gzipped (zlib's default level, as servers send it). */
export function builtScripts(): { file: string; bytes: number; gzipBytes: number }[] {
  const assets = join(UI_DIST, "assets");
  return readdirSync(assets)
    .filter((file) => file.endsWith(".js"))
    .map((file) => {
      const content = readFileSync(join(assets, file));
      return { file, bytes: content.length, gzipBytes: gzipSync(content).length };
    });
}
