/** Runs a command to its end and collects what it prints: for tests that drive a real process (the CLI, `npm start`, Python). */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCommandOptions {
  cwd?: string;
  /** The whole environment of the process. */
  env?: NodeJS.ProcessEnv;
  /** Written to its stdin, which is then closed; without it stdin is ignored. */
  input?: string;
}

export function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    // stdout and stderr are pipes, whatever stdin is
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] }) as ChildProcessByStdio<Writable | null, Readable, Readable>;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
