/** The names of all the images of a job (or folder) at once: each its own output folder. */
import { imageName } from "./image-name.js";

const EXTENSION = /\.[A-Za-z0-9]+$/;

/**
 * `imageName` of each source, in order, except where two would share a name (`a.jpg`, `a.png`):
 * the later one keeps its extension (`a.png`), and past that gets a `~n` suffix.
 */
export function uniqueImageNames(sources: readonly string[], inputPrefix: string | null): string[] {
  const taken = new Set<string>();
  return sources.map((source) => {
    const base = imageName(source, inputPrefix);
    let name = base;
    if (taken.has(name)) name = `${base}${EXTENSION.exec(withoutQuery(source))?.[0] ?? ""}`;
    for (let n = 2; taken.has(name); n++) name = `${base}~${n}`;
    taken.add(name);
    return name;
  });
}

/** A URL's query and fragment are no part of its file name. */
function withoutQuery(source: string): string {
  return /^https?:\/\//i.test(source) ? source.split(/[?#]/)[0]! : source;
}
