/**
 * Reference numbers from OpenCV's own Python binding, computed during the test run: a Python 3
 * with cv2 and numpy (Debian's python3-opencv) is looked for as `python3`, then /usr/bin/python3.
 * `missingOpenCvPython()` says, like `missing()`, why a suite cannot run (one printed line).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { skipping } from "@cvflow/vision/test-assets";

const CANDIDATES = ["python3", "/usr/bin/python3"];

let found: string | null | undefined;

function python(): string | null {
  found ??= CANDIDATES.find((exe) => spawnSync(exe, ["-c", "import cv2, numpy"], { stdio: "ignore" }).status === 0) ?? null;
  return found;
}

export function missingOpenCvPython(suite: string): string | undefined {
  return python() ? undefined : skipping(suite, ["no Python 3 with cv2 and numpy (`apt-get install python3-opencv`) to compute OpenCV's reference numbers"]);
}

/** Runs `script` with `input` as JSON on stdin; the script prints one JSON value, returned parsed. */
export function runOpenCvPython(script: string, input: unknown): unknown {
  const out = execFileSync(python()!, ["-c", script], { input: JSON.stringify(input), maxBuffer: 64 << 20 });
  return JSON.parse(out.toString());
}
