/** Parses CSV text with Python's csv module (the reader most CSV consumers agree with), in strict mode. */
import { spawnSync } from "node:child_process";

const READER = [
  "import csv, io, json, sys",
  "rows = list(csv.reader(io.TextIOWrapper(sys.stdin.buffer, encoding='utf-8', newline=''), strict=True))",
  "sys.stdout.write(json.dumps(rows))",
].join("\n");

export function parseWithPython(text: string): string[][] {
  const run = spawnSync("python3", ["-c", READER], { input: text, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`python3 csv failed: ${run.stderr || run.error?.message}`);
  return JSON.parse(run.stdout) as string[][];
}
