/**
 * Names and output paths become file paths (local folders, S3 keys): a segment that is empty, "."
 * or ".." would collapse or climb out of the output prefix, so it never survives.
 */

/** `a//b/./c/../d` → `a/b/c/__/d`: empty and "." segments dropped, ".." made harmless. */
export function safePath(path: string): string {
  return path
    .split("/")
    .filter((segment) => segment !== "" && segment !== ".")
    .map((segment) => (segment === ".." ? "__" : segment))
    .join("/");
}
