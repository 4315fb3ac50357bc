/**
 * Writes test/roboflow-manifests.json: every block id (with its legacy aliases)
 * that Roboflow's `inference` declares under inference/core/workflows/core_steps/ at one commit,
 * which the catalogue test compares with what cvflow describes.
 *
 *   node --import tsx scripts/roboflow-manifests.ts <a clone or git dir of roboflow/inference> [commit, default HEAD]
 *
 * A manifest names itself in `type: Literal["roboflow_core/x@v1", "Alias", ...]`, sometimes through
 * a module constant (`TYPE: str = "..."`) as `f"{TYPE}"` or `TYPE`. The `*_tensor.py` twins repeat their
 * sibling's ids and fold into one entry. Literals whose first value is no versioned id (query-language
 * operations, enum-like options) are not manifests.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROOT = "inference/core/workflows/core_steps/";
const OUT = fileURLToPath(new URL("../test/roboflow-manifests.json", import.meta.url));

interface Manifest {
  id: string;
  aliases: string[];
  file: string;
}

function git(gitDir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", gitDir, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
}

/** Module-level string constants (`TYPE: str = "..."`, `TYPE = "..."`): what a Literal may name instead of a string. */
function constantsIn(source: string): Map<string, string> {
  return new Map([...source.matchAll(/^([A-Z_][A-Z0-9_]*)\s*(?::\s*str\s*)?=\s*"([^"]*)"/gm)].map((m) => [m[1]!, m[2]!]));
}

function manifestsIn(source: string, file: string): Manifest[] {
  const constants = constantsIn(source);
  const found: Manifest[] = [];
  for (const literal of source.matchAll(/\btype\s*:\s*Literal\[([^\]]*)\]/g)) {
    // Each item: "text", f"{NAME}" or NAME.
    const values = literal[1]!
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean)
      .map((item) => {
        const text = /^f?"([^"]*)"$/.exec(item)?.[1];
        const name = text === undefined ? item : /^\{(\w+)\}$/.exec(text)?.[1];
        return name === undefined ? text : constants.get(name);
      });
    const [id, ...aliases] = values;
    if (id === undefined || !/^[a-z_]+\/[\w-]+@v\d+$/.test(id)) continue;
    if (aliases.some((a) => a === undefined)) throw new Error(`${file}: a Literal names a constant the file does not define`);
    found.push({ id, aliases: aliases as string[], file: file.slice(ROOT.length) });
  }
  return found;
}

function main(): void {
  const [gitDir, commitArg = "HEAD"] = process.argv.slice(2);
  if (!gitDir) throw new Error("usage: roboflow-manifests.ts <roboflow/inference clone or git dir> [commit]");
  const commit = git(gitDir, "rev-parse", `${commitArg}^{commit}`).trim();
  const files = git(gitDir, "ls-tree", "-r", "--name-only", commit, ROOT)
    .split("\n")
    .filter((f) => f.endsWith(".py"));
  const byId = new Map<string, Manifest>();
  for (const file of files) {
    for (const manifest of manifestsIn(git(gitDir, "show", `${commit}:${file}`), file)) {
      const seen = byId.get(manifest.id);
      // v1_tensor.py repeats v1.py: keep the plain file's name.
      if (!seen || (seen.file.includes("_tensor") && !manifest.file.includes("_tensor"))) byId.set(manifest.id, manifest);
    }
  }
  const named = new Set([...byId.values()].map((m) => m.file.replace("_tensor", "")));
  const unnamed = files.filter((f) => /\/v\d+\.py$/.test(f) && !named.has(f.slice(ROOT.length)));
  if (unnamed.length) console.warn(`no manifest id found in: ${unnamed.join(", ")}`);
  const manifests = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  const data = {
    source: "https://github.com/roboflow/inference",
    commit,
    committed: git(gitDir, "show", "-s", "--format=%cI", commit).trim(),
    made_by: `node --import tsx scripts/roboflow-manifests.ts <roboflow/inference git dir> ${commit}`,
    scope: `${ROOT}**/*.py: each manifest's \`type\` literal (id, then legacy aliases); *_tensor.py twins folded in`,
    manifests,
  };
  writeFileSync(OUT, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`${manifests.length} manifest ids from ${files.length} files at ${commit} -> ${OUT}`);
}

main();
