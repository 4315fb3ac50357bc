/** The name of an image in a job's output: where it sits below the input prefix, extension dropped. */
import { posix } from "node:path";
import { safePath } from "./path-segments.js";

/** An image whose source leaves nothing to name it by (e.g. `https://host/`). */
const UNNAMED = "image";

/**
 * `s3://b/in/shelf-1/left.jpg` below `s3://b/in/` → `shelf-1/left`. A source outside the prefix
 * (or with no prefix) is named by its own path: an S3 key, a URL's path (query dropped, decoded),
 * or a local file's base name.
 */
export function imageName(source: string, inputPrefix: string | null): string {
  const location = comparable(source);
  const prefix = inputPrefix === null ? null : withSlash(comparable(inputPrefix));
  const relative = prefix !== null && location.startsWith(prefix) ? location.slice(prefix.length) : ownPath(source);
  const path = safePath(relative);
  const extension = posix.extname(path);
  return (extension ? path.slice(0, -extension.length) : path) || UNNAMED;
}

/** A URL without query or fragment, its path decoded; anything else unchanged. */
function comparable(location: string): string {
  if (!/^https?:\/\//i.test(location) || !URL.canParse(location)) return location;
  const url = new URL(location);
  return `${url.origin}${decodePath(url.pathname)}`;
}

function ownPath(source: string): string {
  const s3 = /^s3:\/\/[^/]+\/(.*)$/s.exec(source);
  if (s3) return s3[1]!;
  if (/^https?:\/\//i.test(source) && URL.canParse(source)) return decodePath(new URL(source).pathname);
  return posix.basename(source);
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname; // a stray "%" that is no escape
  }
}

function withSlash(prefix: string): string {
  return prefix.endsWith("/") ? prefix : `${prefix}/`;
}
