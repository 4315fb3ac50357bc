/** `batches/{job}/manifest.json`: the images of a job, each with its name in the output. */
import { imageName } from "./output/index.js";

export interface ManifestItem {
  image: string;
  source: string;
  /** A video job's segment: the frame ids (1-based, every decoded frame counted) of its first and last taken frames; `last_frame` null: to the end. */
  segment?: VideoSegment;
}

export interface VideoSegment {
  first_frame: number;
  last_frame: number | null;
}

const EXTENSION = /\.[A-Za-z0-9]+$/;

/**
 * Names by `imageName`; where two sources would share a name (`a.jpg`, `a.png`), the later ones
 * keep their extension, then get a `~n` suffix, so that each image has its own output folder.
 */
export function manifestItems(sources: readonly string[], inputPrefix: string | null): ManifestItem[] {
  const taken = new Set<string>();
  return sources.map((source) => {
    const base = imageName(source, inputPrefix);
    const extension = EXTENSION.exec(source.startsWith("s3://") ? source : source.split(/[?#]/)[0]!)?.[0] ?? "";
    let image = base;
    if (taken.has(image)) image = `${base}${extension}`;
    for (let n = 2; taken.has(image); n++) image = `${base}~${n}`;
    taken.add(image);
    return { image, source };
  });
}
