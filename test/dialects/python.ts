/**
 * Running the dialects' client scripts: Python 3, standard library only (urllib, json), so any
 * python3 will do. A machine without one skips with one line (under CVFLOW_REQUIRE_TEST_ASSETS=1,
 * as in CI, it fails instead).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { skipping } from "@cvflow/vision/test-assets";
import { runCommand } from "../run-command.js";

/** CVFLOW_PYTHON, else `python3` on the PATH. */
export function findStdlibPython(suite: string): { python: string } | { missing: string } {
  const python = process.env["CVFLOW_PYTHON"] ?? "python3";
  const probe = spawnSync(python, ["-c", "import sys; sys.exit(0 if sys.version_info >= (3, 8) else 1)"], { encoding: "utf8" });
  if (probe.status === 0) return { python };
  return { missing: skipping(suite, [`no Python 3.8+ as "${python}": apt-get install python3 (or set CVFLOW_PYTHON)`]) };
}

/** Runs `script` (a file of this folder) with `plan` as JSON on stdin; its JSON report. */
export async function runClientScript(python: string, script: string, plan: Record<string, unknown>): Promise<Record<string, any>> {
  const env = { ...process.env, PYTHONDONTWRITEBYTECODE: "1" };
  const { code, stdout, stderr } = await runCommand(python, [join(import.meta.dirname, script)], { env, input: JSON.stringify(plan) });
  if (code !== 0) throw new Error(`${script} exited ${code}: ${stderr.slice(-3000)}`);
  return JSON.parse(stdout) as Record<string, any>;
}
