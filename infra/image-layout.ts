/**
 * What goes where in the functions' container image. One list for two readers: functions/Dockerfile
 * copies each entry (a test checks its COPY lines against this list), and `npm run build:image`
 * copies the very same entries into `.build/image/`, the image's task root as a folder on disk.
 * A plain module: no SST, no Pulumi.
 */

/** The AWS Lambda Node.js base image, both stages of the Dockerfile. */
export const BASE_IMAGE = "public.ecr.aws/lambda/nodejs:24";

/** What `npm run build` writes and `npm run build:image` assembles, relative to the repository. */
export const BUILD_DIRS = {
  functions: ".build/functions",
  native: ".build/native",
  bin: ".build/bin",
  image: ".build/image",
} as const;

export interface ImageEntry {
  /** A folder in the build stage, relative to the repository (`/build` in the Dockerfile). */
  from: string;
  /** Where its contents go, relative to the task root. */
  to: string;
}

/** The task root's folder of programs (FFMPEG_BINARIES). */
export const BIN_DIR = "bin";

/**
 * ffmpeg and ffprobe, which video jobs run (the batch steps decode segments and encode the
 * annotated mp4, packages/video). Amazon Linux 2023 has no ffmpeg package, so the image carries
 * static linux-x64 builds (johnvansickle.com's, GPL-3.0, libx264 among their encoders) that npm
 * packages hold in their tarballs: packages/video's optional dependencies, one executable each.
 * `npm run build` copies them into BUILD_DIRS.bin with mode 0755 (the functions run as a user other
 * than the files' owner), and `env` names the variable packages/video/src/ffmpeg.ts reads.
 */
export const FFMPEG_BINARIES = [
  { package: "@ffmpeg-installer/linux-x64", file: "ffmpeg", env: "CVFLOW_FFMPEG" },
  { package: "@ffprobe-installer/linux-x64", file: "ffprobe", env: "CVFLOW_FFPROBE" },
] as const;

export const IMAGE_LAYOUT: readonly ImageEntry[] = [
  // The handlers' ESM bundles and the chunks they share.
  { from: `${BUILD_DIRS.functions}/`, to: "" },
  // The native modules the bundles leave external, with their production dependencies.
  { from: `${BUILD_DIRS.native}/node_modules/`, to: "node_modules/" },
  // registry.json and the model files (`npm run models`, or a deployment's own).
  { from: "models/", to: "models/" },
  // The debugger page (packages/ui's Vite build, made by `npm run build`), which the API serves at `/` (CVFLOW_UI_DIR).
  { from: "packages/ui/dist/", to: "ui/" },
  // ffmpeg and ffprobe (FFMPEG_BINARIES), for video jobs.
  { from: `${BUILD_DIRS.bin}/`, to: `${BIN_DIR}/` },
];

/**
 * Packages esbuild leaves external, shipped as installed: those with native binaries, and OpenCV's
 * wasm build (@techstark/opencv-js, 10.9 MB of JavaScript with the wasm inside), which reads
 * `__dirname` as it starts (an ESM bundle has none) and is loaded only when a block first needs
 * it (packages/blocks/src/classical_cv/opencv.ts), so it is no part of any function's start.
 * zxing-wasm (the barcode reader) likewise: its .wasm file is read from the installed package
 * (packages/blocks/src/models/third_party/zxing.ts).
 */
export const NATIVE_EXTERNALS = ["sharp", "onnxruntime-node", "@techstark/opencv-js", "zxing-wasm"] as const;

/** Lambda's x86_64 architecture on Amazon Linux 2023: only binaries for it are shipped. */
export const TARGET_PLATFORM = { os: "linux", cpu: "x64", libc: "glibc", architecture: "x86_64" } as const;

/**
 * OS packages of the final stage: librsvg inside sharp draws label text through fontconfig, which
 * needs a font (DejaVu Sans is the first it asks for, packages/vision/src/images/text-raster.ts).
 */
export const OS_PACKAGES = ["fontconfig", "dejavu-sans-fonts"] as const;

/**
 * The allocator the functions run with: with glibc's malloc, what sharp's threads free stays in
 * their arenas and an instance stays large after a heavy request; with jemalloc its memory comes
 * back, and glibc held to two arenas comes between (packages/local/src/allocator.ts has the
 * numbers; the local stack chooses the same way). jemalloc is installed where the base image's
 * repositories have it and preloaded through /etc/ld.so.preload; the build does not fail without it.
 */
export const JEMALLOC = { package: "jemalloc", library: "/usr/lib64/libjemalloc.so.2", fallbackEnv: "MALLOC_ARENA_MAX=2" } as const;

/**
 * Files of an installed package that the image leaves out: onnxruntime-node ships every platform's
 * binaries in one package (about 290 MB); only `bin/napi-v*\/linux/x64/` runs on Lambda.
 * `path` is relative to the package's folder, with `/` separators.
 */
export function leftOutOfImage(packageName: string, path: string): boolean {
  if (packageName !== "onnxruntime-node") return false;
  const binary = /^bin\/napi-v\d+\/([^/]+)(?:\/([^/]+))?/.exec(path);
  if (!binary) return false;
  const [, os, cpu] = binary;
  return os !== TARGET_PLATFORM.os || (cpu !== undefined && cpu !== TARGET_PLATFORM.cpu);
}
