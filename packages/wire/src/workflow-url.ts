/**
 * A workflow's url made from its display name, as createWorkflow makes it when no url is given and
 * as the page suggests it while a name is typed: "My Workflow!" -> "my-workflow" (lowercase
 * letters, digits and "-", at most 64). Empty when the name has none of those.
 */
export function urlFromName(name: string): string {
  return name
    .normalize("NFKD")
    // NFKD splits "é" into "e" and a combining accent: the accent goes, the letter stays.
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
}
