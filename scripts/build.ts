/**
 * `npm run build`: the functions' ESM bundles into `.build/functions/`, the native modules they
 * leave external (linux-x64 only) into `.build/native/node_modules/`, static ffmpeg and ffprobe
 * into `.build/bin/`, and the debugger page into packages/ui/dist when its sources changed (the
 * image's `ui/`). functions/Dockerfile runs it.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleFunctions } from "./build/bundle-functions.js";
import { collectFfmpegBinaries } from "./build/ffmpeg-binaries.js";
import { collectNativeModules } from "./build/native-modules.js";
import { buildUiIfStale } from "./build/ui.js";

const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));
const ui = await buildUiIfStale(repo);
console.log(`packages/ui/dist/  ${ui.built ? `built (${ui.ms} ms)` : "up to date"}`);
const { files } = await bundleFunctions(repo);
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`;
for (const file of files.filter((f) => !f.path.startsWith("chunks/"))) console.log(`.build/functions/${file.path}  ${kib(file.bytes)}`);
const chunks = files.filter((f) => f.path.startsWith("chunks/"));
console.log(`.build/functions/chunks/  ${chunks.length} chunks, ${kib(chunks.reduce((sum, f) => sum + f.bytes, 0))}`);
const natives = await collectNativeModules(repo);
console.log(`.build/native/node_modules/  ${natives.join(", ")}`);
const binaries = await collectFfmpegBinaries(repo);
console.log(`.build/bin/  ${binaries.map((b) => `${b.file} ${(b.bytes / 2 ** 20).toFixed(0)} MiB`).join(", ")}`);
