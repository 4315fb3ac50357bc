/**
 * ffmpeg and ffprobe for the image (infra/image-layout.ts: FFMPEG_BINARIES) into `.build/bin/`:
 * each the one executable of its npm package, resolved as packages/video resolves its optional
 * dependencies, copied with mode 0755 — readable and runnable by Lambda's user, whatever mode npm
 * left it (the packages' own chmod postinstalls are denied in package.json's allowScripts).
 */
import { chmod, copyFile, mkdir, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { BUILD_DIRS, FFMPEG_BINARIES } from "../../infra/image-layout.js";

/** Copies the binaries; returns each file's name and size in bytes. */
export async function collectFfmpegBinaries(repo: string): Promise<{ file: string; bytes: number }[]> {
  const target = join(repo, BUILD_DIRS.bin);
  await rm(target, { recursive: true, force: true });
  await mkdir(target, { recursive: true });
  const fromVideo = createRequire(join(repo, "packages", "video", "package.json"));
  const copied: { file: string; bytes: number }[] = [];
  for (const binary of FFMPEG_BINARIES) {
    let manifest: string;
    try {
      manifest = fromVideo.resolve(`${binary.package}/package.json`);
    } catch {
      throw new Error(`${binary.package} is not installed: it is an optional dependency of packages/video for linux-x64 only; run npm ci on linux-x64, or build the image with functions/Dockerfile`);
    }
    const to = join(target, binary.file);
    await copyFile(join(dirname(manifest), binary.file), to);
    await chmod(to, 0o755);
    copied.push({ file: binary.file, bytes: (await stat(to)).size });
  }
  return copied;
}
