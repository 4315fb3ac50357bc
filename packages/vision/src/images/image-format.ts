/**
 * Image formats told apart by their first bytes. Only the formats listed here reach the decoder:
 * sharp can read more (SVG, PDF, HEIF, ...), and some of those fetch or execute more than an
 * input image should, so anything else is refused before sharp sees it.
 */

export type ImageFormat = "jpeg" | "png" | "webp" | "gif" | "tiff";

export const SUPPORTED_FORMATS: readonly ImageFormat[] = ["jpeg", "png", "webp", "gif", "tiff"];

export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  return undefined;
}

/** A name for some well-known formats that are not accepted, for the error message. */
export function nameUnsupportedFormat(bytes: Uint8Array): string | undefined {
  if (ascii(bytes, 0, 2) === "BM") return "BMP";
  if (ascii(bytes, 4, 8) === "ftyp") return "HEIF/AVIF";
  if (ascii(bytes, 0, 4) === "%PDF") return "PDF";
  if (/^\s*</.test(ascii(bytes, 0, 16))) return "SVG/XML/HTML";
  return undefined;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
