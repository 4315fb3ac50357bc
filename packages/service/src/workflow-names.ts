/** Workflow urls made from display names. (The store checks every name before it becomes part of a key.) */
import { invalidRequest } from "./errors.js";

/** "My Workflow!" -> "my-workflow": lowercase letters, digits and "-", at most 64. */
export function urlFromName(name: string): string {
  const url = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
  if (url === "") throw invalidRequest(`No url can be made from the name ${JSON.stringify(name)}: give "url"`, { field: "url" });
  return url;
}
