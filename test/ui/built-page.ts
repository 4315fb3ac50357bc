/** The debugger page's build (packages/ui/dist), brought up to date first (as `npm test`'s pretest does) so that one browser test file runs on its own. */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { buildUiIfStale } from "../../scripts/build/ui.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const UI_DIST = join(ROOT, "packages", "ui", "dist");
/** Held while one process checks or builds, naming its pid: test files started together build once, and a lock whose process is gone is taken over. */
const LOCK = join(ROOT, "packages", "ui", ".build-lock");

export async function ensureBuilt(): Promise<void> {
  while (!takeLock()) await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    await buildUiIfStale(ROOT);
  } finally {
    rmSync(LOCK, { force: true });
  }
}

function takeLock(): boolean {
  try {
    writeFileSync(LOCK, String(process.pid), { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  const holder = Number(readFileSync(LOCK, "utf8"));
  if (holder && !alive(holder)) rmSync(LOCK, { force: true });
  return false;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
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
