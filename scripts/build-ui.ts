/**
 * `npm run build:ui` (and before `npm start` and `npm test`): the debugger page's Vite build into
 * packages/ui/dist, skipped when nothing it is made of changed since the last (scripts/build/ui.ts).
 * `--force` builds anyway.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { buildUiIfStale } from "./build/ui.js";

const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));
const result = await buildUiIfStale(repo, { force: process.argv.includes("--force") });
console.log(result.built ? `cvflow: debugger page built into packages/ui/dist (${result.ms} ms)` : "cvflow: debugger page up to date (packages/ui/dist)");
