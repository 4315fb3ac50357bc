/** functions/Dockerfile against infra/image-layout.ts: what it copies where, its base, packages and command. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FUNCTIONS } from "../function-settings.js";
import { BASE_IMAGE, BUILD_DIRS, IMAGE_LAYOUT, JEMALLOC, leftOutOfImage, OS_PACKAGES } from "../image-layout.js";

const dockerfile = readFileSync(new URL("../../functions/Dockerfile", import.meta.url), "utf8");
/** Instructions, continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));
const stages = instructions.reduce<string[][]>((all, line) => (line.startsWith("FROM ") ? [...all, [line]] : all.length ? [...all.slice(0, -1), [...all.at(-1)!, line]] : all), []);
const final = stages.at(-1)!;

describe("functions/Dockerfile", () => {
  it("builds both stages on the base image", () => {
    expect(instructions[0]).toBe(`ARG BASE_IMAGE=${BASE_IMAGE}`);
    expect(stages.map((stage) => stage[0])).toEqual(["FROM ${BASE_IMAGE} AS build", "FROM ${BASE_IMAGE}"]);
  });

  it("copies into the task root exactly the entries of the image layout", () => {
    const copies = final.filter((line) => line.startsWith("COPY "));
    expect(copies).toEqual(IMAGE_LAYOUT.map((entry) => `COPY --from=build /build/${entry.from} \${LAMBDA_TASK_ROOT}/${entry.to}`));
  });

  it("makes what it copies with the build the image assembler runs after", () => {
    const build = stages[0]!;
    expect(build).toContain("ENV ONNXRUNTIME_NODE_INSTALL=skip");
    expect(build.indexOf("RUN npm ci --no-audit --no-fund")).toBeLessThan(build.indexOf("RUN npm run build"));
    for (const entry of IMAGE_LAYOUT.filter((e) => e.from.startsWith(".build/"))) {
      expect([BUILD_DIRS.functions, BUILD_DIRS.native, BUILD_DIRS.bin].some((dir) => entry.from.startsWith(dir))).toBe(true);
    }
  });

  it("installs the OS packages for label text and caches the fonts", () => {
    const run = final.find((line) => line.startsWith("RUN dnf install"));
    expect(run?.split(" && ")[0]?.split(" ").slice(4).sort()).toEqual([...OS_PACKAGES].sort());
    expect(run).toContain("fc-cache -f");
  });

  it("preloads jemalloc where the base image has it, and holds glibc to two arenas otherwise", () => {
    const run = final.find((line) => line.startsWith(`RUN (dnf install -y ${JEMALLOC.package} `));
    // Installing it may fail without failing the build; the preload names the library only where it is.
    expect(run).toMatch(/\) \|\| echo /);
    expect(run).toContain(`if [ -f ${JEMALLOC.library} ]; then echo ${JEMALLOC.library} > /etc/ld.so.preload; fi`);
    expect(final).toContain(`ENV ${JEMALLOC.fallbackEnv}`);
    expect(final.some((line) => line.includes("LD_PRELOAD"))).toBe(false);
  });

  it("runs the API's handler unless a function overrides the command", () => {
    expect(final.at(-1)).toBe(`CMD ["${FUNCTIONS.api.command}"]`);
  });
});

describe("leftOutOfImage", () => {
  it("keeps onnxruntime-node's linux-x64 binaries and its code, nothing of other platforms", () => {
    expect(leftOutOfImage("onnxruntime-node", "bin/napi-v6/linux/x64/libonnxruntime.so.1")).toBe(false);
    expect(leftOutOfImage("onnxruntime-node", "bin/napi-v6/linux")).toBe(false);
    expect(leftOutOfImage("onnxruntime-node", "dist/index.js")).toBe(false);
    expect(leftOutOfImage("onnxruntime-node", "bin/napi-v6/linux/arm64/onnxruntime_binding.node")).toBe(true);
    expect(leftOutOfImage("onnxruntime-node", "bin/napi-v6/darwin")).toBe(true);
    expect(leftOutOfImage("onnxruntime-node", "bin/napi-v6/win32/x64/onnxruntime.dll")).toBe(true);
    expect(leftOutOfImage("sharp", "bin/napi-v6/darwin")).toBe(false);
  });
});
