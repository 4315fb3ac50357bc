/** Runs the real `cvflow` executable (bin/cvflow.js on the repository's Node) and collects what it prints. */
import { fileURLToPath } from "node:url";
import { runCommand, type Finished } from "../../../test/run-command.js";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const NODE = `${ROOT}node_modules/.bin/node`;
export const BIN = `${ROOT}packages/cli/bin/cvflow.js`;

/** `env` is the whole CVFLOW_* environment: the caller's own is not inherited. */
export function cvflow(args: readonly string[], env: Record<string, string> = {}, command: readonly string[] = [NODE, BIN]): Promise<Finished> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("CVFLOW_")));
  return runCommand(command[0]!, [...command.slice(1), ...args], { cwd: ROOT, env: { ...inherited, ...env } });
}
