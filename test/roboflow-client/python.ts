/**
 * Finding a Python that can run Roboflow's client: Debian's python3 with the packages .ci/run
 * installs. A machine without them skips the client's tests with one line naming what to install
 * (under CVFLOW_REQUIRE_TEST_ASSETS=1, as in CI, it fails instead).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { skipping } from "@cvflow/vision/test-assets";
import { runCommand } from "../run-command.js";

export const CLIENT_DIR = import.meta.dirname;
/** What inference_sdk needs, as Debian names the packages (.ci/run installs this list). */
const DEBIAN_PACKAGES = readFileSync(join(CLIENT_DIR, "debian-packages.txt"), "utf8").split("\n").filter(Boolean);
/** The modules those packages hold, as inference_sdk imports them. */
const MODULES = ["numpy", "PIL", "requests", "aiohttp", "cv2", "backoff", "dataclasses_json", "tldextract"];
/** inference_sdk and the one module of a PyPI-only dependency it imports (see README.md). */
export const CLIENT_PYTHONPATH = [CLIENT_DIR, join(CLIENT_DIR, "shims")].join(":");

/** CVFLOW_PYTHON, else `python3` on the PATH, else Debian's own (a pyenv or venv python3 does not see its packages). */
function candidates(): string[] {
  const chosen = process.env["CVFLOW_PYTHON"];
  return chosen ? [chosen] : ["python3", "/usr/bin/python3"];
}

export function findPython(): { python: string } | { missing: string } {
  for (const python of candidates()) {
    const probe = spawnSync(python, ["-c", `import ${MODULES.join(", ")}`], { encoding: "utf8" });
    if (probe.status === 0) return { python };
  }
  return { missing: skipping("Roboflow's Python client", [`no python3 here imports ${MODULES.join(", ")}: apt-get install ${DEBIAN_PACKAGES.join(" ")} (or set CVFLOW_PYTHON)`]) };
}

/** Runs `script` (client_checks.py, or pipeline_checks.py) with `plan` on stdin; its JSON report. */
export async function runClientChecks(python: string, plan: Record<string, unknown>, script = "client_checks.py"): Promise<Record<string, any>> {
  const env = { ...process.env, PYTHONPATH: CLIENT_PYTHONPATH, PYTHONDONTWRITEBYTECODE: "1" };
  const { code, stdout, stderr } = await runCommand(python, [join(CLIENT_DIR, script)], { env, input: JSON.stringify(plan) });
  if (code !== 0) throw new Error(`${script} exited ${code}: ${stderr.slice(-2000)}`);
  return JSON.parse(stdout) as Record<string, any>;
}
