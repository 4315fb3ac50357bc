/** `npm run build:image`: after `npm run build`, `.build/image/` as functions/Dockerfile fills the task root. */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { assembleImage } from "./build/assemble-image.js";

const repo = resolve(fileURLToPath(new URL("..", import.meta.url)));
console.log(`assembled ${await assembleImage(repo)}`);
