/**
 * The image formats that reach the decoder, told apart by their first bytes (@cvflow/wire holds the
 * signatures). sharp can read more (SVG, PDF, HEIF, ...), and some of those fetch or execute more
 * than an input image should, so anything else is refused before sharp sees it.
 */
import { sniffImageFormat, type KnownImageFormat } from "@cvflow/wire";

export type ImageFormat = Exclude<KnownImageFormat, "bmp">;

export const SUPPORTED_FORMATS: readonly ImageFormat[] = ["jpeg", "png", "webp", "gif", "tiff"];

export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const format = sniffImageFormat(bytes);
  return SUPPORTED_FORMATS.find((supported) => supported === format);
}

/** A name for some well-known formats that are not accepted, for the error message. */
export function nameUnsupportedFormat(bytes: Uint8Array): string | undefined {
  if (sniffImageFormat(bytes) === "bmp") return "BMP";
  if (ascii(bytes, 4, 8) === "ftyp") return "HEIF/AVIF";
  if (ascii(bytes, 0, 4) === "%PDF") return "PDF";
  if (/^\s*</.test(ascii(bytes, 0, 16))) return "SVG/XML/HTML";
  return undefined;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
