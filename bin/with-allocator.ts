/**
 * `npm start` runs bin/start.ts through this: the server's process must start with its memory
 * allocator (jemalloc where installed, else glibc held to 2 arenas: packages/local/src/allocator.ts),
 * and an allocator is chosen when a process starts. So this one starts the server with it and
 * passes on its exit; where nothing is to be set, it runs the server in this very process.
 */
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { serverAllocator } from "@cvflow/local";

const [script = "bin/start.ts", ...args] = process.argv.slice(2);
const allocator = serverAllocator();
if (Object.keys(allocator.env).length === 0) {
  await import(pathToFileURL(resolve(script)).href);
} else {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], { stdio: "inherit", env: { ...process.env, ...allocator.env } });
  // Ctrl-C reaches both processes (one process group); the server stops once however often it is told.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}
