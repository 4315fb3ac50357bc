/**
 * Image formats told apart by their first bytes: one table for the service (vision decides which of
 * them reach the decoder), the response offload (which names the S3 objects it writes), the SDK
 * (which labels its uploads) and the CLI (which describes image outputs).
 */

/** Every format recognized here; the service decodes all but BMP. */
export type KnownImageFormat = "jpeg" | "png" | "webp" | "gif" | "tiff" | "bmp";

export function sniffImageFormat(bytes: Uint8Array): KnownImageFormat | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return "tiff";
  if (ascii(bytes, 0, 2) === "BM") return "bmp";
  return undefined;
}

/** The MIME type of a format: `image/<format>` for every one of them. */
export function imageContentType(format: KnownImageFormat): string {
  return `image/${format}`;
}

/** The usual file extension of a format. */
export function imageExtension(format: KnownImageFormat): string {
  return format === "jpeg" ? "jpg" : format;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}
