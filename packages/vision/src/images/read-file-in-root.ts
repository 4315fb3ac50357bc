/**
 * Reads a `{"type": "file"}` image input, only from inside one directory. The path is resolved
 * with every symbolic link followed before the check, so neither "../" nor a link can lead out.
 */
import { open, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { imageTooLarge } from "@cvflow/engine";
import { fileNotAllowed, fileNotFound } from "../errors.js";

export async function readFileInRoot(path: string, root: string, maxBytes: number): Promise<Buffer> {
  const rootPath = await realpath(root);
  let target: string;
  try {
    target = await realpath(resolve(rootPath, path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw fileNotFound(path);
    }
    throw error;
  }
  const inside = relative(rootPath, target);
  if (inside.split(sep)[0] === ".." || isAbsolute(inside)) {
    throw fileNotAllowed(path, "is outside the directory image files may be read from");
  }
  const file = await open(target, "r");
  try {
    const stats = await file.stat();
    if (!stats.isFile()) throw fileNotAllowed(path, "is not a regular file");
    if (stats.size > maxBytes) throw imageTooLarge(stats.size, maxBytes);
    return await file.readFile();
  } finally {
    await file.close();
  }
}
