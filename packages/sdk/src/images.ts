/**
 * ImageSource → what a request carries. Sources the server can fetch itself (http(s) URLs, s3://
 * references, wrapped inputs) pass through; everything else becomes bytes, which the client sends
 * inline as base64 or uploads first when the request would grow too large. File paths are read
 * in Node only; a browser passes bytes (a File's arrayBuffer()) or a data URL.
 */
import { base64ToBytes, imageContentType, sniffImageFormat } from "@cvflow/wire";
import { invalidImageSource } from "./errors.js";
import type { ImageInput, ImageSource } from "./types.js";

export type PreparedImage = { bytes: Uint8Array } | { input: ImageInput };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The part of node:fs/promises used here, typed without Node's types (the page compiles with the DOM's). */
interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
}

/** A variable, so that bundlers leave the import alone: the SDK in a browser never loads it. */
const FILE_SYSTEM_MODULE = "node:fs/promises";

export async function prepareImage(source: ImageSource): Promise<PreparedImage> {
  if (source instanceof Uint8Array) return { bytes: source };
  if (typeof source === "object" && source !== null) {
    if (typeof source.type === "string" && typeof source.value === "string") return { input: source };
    throw invalidImageSource(`An image object needs a string "type" and "value"; got keys ${Object.keys(source).join(", ") || "none"}`);
  }
  if (typeof source !== "string") throw invalidImageSource(`Expected a path, URL, base64 string, bytes or {type, value}; got ${typeof source}`);
  if (/^https?:\/\//i.test(source)) return { input: { type: "url", value: source } };
  if (/^s3:\/\//i.test(source)) return { input: { type: "s3", value: source } };
  if (/^data:/i.test(source)) return { bytes: decodeDataUrl(source) };
  return { bytes: await readPathOrBase64(source) };
}

/** The length of the base64 text of `byteLength` bytes. */
export function base64Length(byteLength: number): number {
  return 4 * Math.ceil(byteLength / 3);
}

/**
 * The MIME type announced for an upload, from the bytes' signature. The server takes only image
 * types there and decodes by content, not by this label: JPEG and unknown bytes go as its default, image/jpeg.
 */
export function sniffContentType(bytes: Uint8Array): string {
  const format = sniffImageFormat(bytes);
  return format ? imageContentType(format) : "image/jpeg";
}

/**
 * A string that is neither URL nor data URL is a file path when such a file exists, else base64.
 * Looking at the file first keeps a path like "ab/cd" from being taken as base64.
 */
async function readPathOrBase64(text: string): Promise<Uint8Array> {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  const files = await fileSystem();
  if (!files) {
    const bytes = decodeBase64(text);
    if (bytes) return bytes;
    throw invalidImageSource(`${shown} is no URL, data URL or base64, and file paths are read in Node only: give the image as bytes or a data URL`, {
      path: shown,
      reason: "no_file_system",
    });
  }
  try {
    return await files.readFile(text);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const bytes = code === "ENOENT" || code === "ENOTDIR" || code === "ENAMETOOLONG" ? decodeBase64(text) : undefined;
    if (bytes) return bytes;
    throw invalidImageSource(`Cannot read the image file ${shown}: ${(error as Error).message}`, { path: shown, reason: code });
  }
}

/** Node's file system; undefined where there is none (a browser). */
async function fileSystem(): Promise<FileSystem | undefined> {
  try {
    return (await import(/* @vite-ignore */ FILE_SYSTEM_MODULE)) as FileSystem;
  } catch {
    return undefined;
  }
}

/** The bytes of base64 text (whitespace ignored, padding required); undefined when it is not base64. */
function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, "");
  return compact.length % 4 === 0 && BASE64.test(compact) ? base64ToBytes(compact) : undefined;
}

function decodeDataUrl(url: string): Uint8Array {
  const comma = url.indexOf(",");
  const data = comma < 0 ? "" : url.slice(comma + 1).replace(/\s+/g, "");
  // Padding may be left out, but no length leaves one character over (atob throws on it).
  if (comma < 0 || !/;base64$/i.test(url.slice(0, comma)) || !BASE64.test(data) || data.length % 4 === 1) {
    throw invalidImageSource("A data URL must be base64-encoded: data:image/...;base64,<data>");
  }
  return base64ToBytes(data);
}
