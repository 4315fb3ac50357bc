/**
 * The local stack as its own process (`bin/start.ts`, what `npm start` runs, with the same
 * allocator), for load tests and benchmarks that must not share an event loop and CPU time with
 * the server they measure.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { serverAllocator } from "./allocator.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));

export interface StackProcess {
  url: string;
  apiKey: string;
  pid: number;
  /** The allocator it runs with (serverAllocator). */
  allocator: string;
  stop(): Promise<void>;
}

/**
 * Starts `bin/start.ts` on `port` and resolves once it serves; its data in `dataDir` (another
 * process's before it: its runs are taken up again), else in a fresh folder.
 */
export async function spawnLocalStack(options: { port: number; env?: Record<string, string>; dataDir?: string }): Promise<StackProcess> {
  const allocator = serverAllocator({ ...process.env, ...options.env });
  const child: ChildProcessByStdio<null, Readable, null> = spawn(resolve(REPO, "node_modules/.bin/node"), ["--import", "tsx", "bin/start.ts"], {
    cwd: REPO,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: "WARN", ...allocator.env, ...options.env, PORT: String(options.port), CVFLOW_DATA_DIR: options.dataDir ?? mkdtempSync(join(tmpdir(), "cvflow-stack-")) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const banner = await new Promise<string>((ok, fail) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("API key")) ok(text);
    });
    child.once("exit", (code) => fail(new Error(`the local stack exited with ${code} before serving`)));
  });
  child.stdout.resume();
  return {
    url: /serving (\S+)/.exec(banner)![1]!,
    apiKey: /API key (\S+)/.exec(banner)![1]!,
    pid: child.pid!,
    allocator: allocator.name,
    stop: () =>
      new Promise<void>((done) => {
        child.once("exit", () => done());
        child.kill("SIGINT");
      }),
  };
}
