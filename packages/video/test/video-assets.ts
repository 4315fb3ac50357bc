/**
 * What these tests need from outside the repository: ffmpeg on PATH (Debian's `ffmpeg` package)
 * and the shared clip ../shared/videos/vtest.avi. `videoMissing` answers undefined when a suite can
 * run, else the one line saying what is absent (thrown under CVFLOW_REQUIRE_TEST_ASSETS=1).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { skipping } from "@cvflow/vision/test-assets";

export const VTEST = fileURLToPath(new URL("../../../../shared/videos/vtest.avi", import.meta.url));

export function videoMissing(suite: string, needs: { vtest?: boolean } = {}): string | undefined {
  const reasons = [
    ...(spawnSync("ffmpeg", ["-version"]).error ? ["ffmpeg is not installed (apt-get install ffmpeg)"] : []),
    ...(needs.vtest && !existsSync(VTEST) ? ["../shared/videos/vtest.avi is absent (the project's shared test clip, not part of the repository)"] : []),
  ];
  return reasons.length ? skipping(suite, reasons) : undefined;
}

/** A clip made by ffmpeg's test source: `seconds` at `fps`, width x height, mp4. */
export function testClip(dir: string, name: string, options: { seconds: number; fps: number; width?: number; height?: number }): string {
  const path = join(dir, name);
  const size = `${options.width ?? 160}x${options.height ?? 120}`;
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `testsrc=size=${size}:rate=${options.fps}:duration=${options.seconds}`, "-pix_fmt", "yuv420p", path]);
  return path;
}

/** The ffmpeg processes this test process started that are still there, zombies included ("pid state"). */
export function ffmpegChildren(): string[] {
  const out = spawnSync("ps", ["-o", "pid=,stat=,comm=", "--ppid", String(process.pid)], { encoding: "utf8" }).stdout;
  return out.split("\n").filter((line) => /\bff(mpeg|probe)\b/.test(line));
}
