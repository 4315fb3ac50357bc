/** The images of a folder, at any depth, as a batch job finds them below an S3 prefix. */
import { readdir } from "node:fs/promises";
import { extname, join, resolve } from "node:path";

const IMAGE_EXTENSIONS = new Set([".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff"]);

/**
 * Absolute paths, sorted, so that names and the order of work do not depend on the file system.
 * `exclude` (the output folder, when it lies inside the input) is not walked: a rerun must not
 * take the image outputs it saved for inputs.
 */
export async function findImages(directory: string, exclude?: string): Promise<string[]> {
  const skipped = exclude === undefined ? undefined : resolve(exclude);
  const entries = await readdir(resolve(directory), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && IMAGE_EXTENSIONS.has(extname(entry.name).toLowerCase()))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => skipped === undefined || !path.startsWith(`${skipped}/`))
    .sort();
}
