/** The allocator the server process starts with: jemalloc where installed, else glibc with 2 arenas; a choice already made stands. */
import { describe, expect, it } from "vitest";
import { serverAllocator } from "../src/allocator.js";

const DEBIAN = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2";
const installed = (...paths: string[]) => (path: string) => paths.includes(path);

describe("serverAllocator", () => {
  it("preloads jemalloc where its library is installed, after whatever is preloaded already", () => {
    expect(serverAllocator({}, "linux", installed(DEBIAN))).toEqual({ name: "jemalloc", env: { LD_PRELOAD: DEBIAN } });
    expect(serverAllocator({ LD_PRELOAD: "/opt/x.so" }, "linux", installed("/usr/lib64/libjemalloc.so.2")).env).toEqual({ LD_PRELOAD: "/opt/x.so:/usr/lib64/libjemalloc.so.2" });
  });

  it("holds glibc to two arenas where jemalloc is not installed", () => {
    expect(serverAllocator({}, "linux", installed())).toEqual({ name: "glibc, 2 arenas", env: { MALLOC_ARENA_MAX: "2" } });
  });

  it("leaves a choice already made, and other systems, as they are", () => {
    expect(serverAllocator({ MALLOC_ARENA_MAX: "4" }, "linux", installed(DEBIAN))).toEqual({ name: "as configured", env: {} });
    expect(serverAllocator({ LD_PRELOAD: "/opt/libjemalloc.so" }, "linux", installed(DEBIAN)).env).toEqual({});
    expect(serverAllocator({}, "darwin", installed(DEBIAN))).toEqual({ name: "the system's", env: {} });
  });
});
