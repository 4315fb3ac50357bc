/** Runs the real `cvflow` executable (bin/cvflow.js on the repository's Node) and collects what it prints. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const NODE = `${ROOT}node_modules/.bin/node`;
export const BIN = `${ROOT}packages/cli/bin/cvflow.js`;

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env` is the whole CVFLOW_* environment: the caller's own is not inherited. */
export function cvflow(args: readonly string[], env: Record<string, string> = {}, command: readonly string[] = [NODE, BIN]): Promise<Finished> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("CVFLOW_")));
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, [...command.slice(1), ...args], { cwd: ROOT, env: { ...inherited, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
