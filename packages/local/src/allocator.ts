/**
 * The memory allocator the server process runs with. glibc's malloc keeps what sharp's (libvips')
 * worker threads free in per-thread arenas instead of giving it back to the system, so a server
 * stays large long after a heavy request. Measured with `npm run bench -- memory` (60 s after
 * three 200-megapixel runs): glibc as it is, 1.46x the idle baseline; MALLOC_ARENA_MAX=2, 1.36x;
 * jemalloc, 1.07x — as sharp's documentation recommends for glibc-based Linux. So jemalloc is
 * preloaded where its library is installed (Debian and Ubuntu: libjemalloc2; the Lambda image
 * installs it where its base image has it: infra/image-layout.ts), and otherwise glibc is held to
 * two arenas. Both are read when a process starts:
 * they belong in the environment of the process to be started, not in a running one.
 */
import { existsSync } from "node:fs";

const JEMALLOC = [
  "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
  "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
  "/usr/lib64/libjemalloc.so.2",
  "/usr/lib/libjemalloc.so.2",
];

export interface Allocator {
  /** What the process will run with: "jemalloc", "glibc, 2 arenas", "as configured" or "the system's". */
  name: string;
  /** Variables to add to the environment of the process to start. */
  env: Record<string, string>;
}

export function serverAllocator(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, exists: (path: string) => boolean = existsSync): Allocator {
  if (platform !== "linux") return { name: "the system's", env: {} };
  // Someone chose already (a jemalloc of their own, another arena count): theirs stands.
  if (env["LD_PRELOAD"]?.includes("jemalloc") || env["MALLOC_ARENA_MAX"]) return { name: "as configured", env: {} };
  const jemalloc = JEMALLOC.find((path) => exists(path));
  if (jemalloc) return { name: "jemalloc", env: { LD_PRELOAD: env["LD_PRELOAD"] ? `${env["LD_PRELOAD"]}:${jemalloc}` : jemalloc } };
  return { name: "glibc, 2 arenas", env: { MALLOC_ARENA_MAX: "2" } };
}
