/** What a person wants to know of an image output instead of its base64: format, pixel size, bytes. */
import { sniffImageFormat, type KnownImageFormat } from "@cvflow/wire";

export function summarizeImage(base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  const format = sniffImageFormat(bytes);
  const size = pixelSize(bytes, format);
  return [`image/${format ?? "unknown"}`, size && `${size.width}×${size.height}`, humanBytes(bytes.length)].filter(Boolean).join(" ");
}

export function humanBytes(count: number): string {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KiB`;
  return `${(count / 1024 / 1024).toFixed(1)} MiB`;
}

function pixelSize(bytes: Buffer, format: KnownImageFormat | undefined): { width: number; height: number } | undefined {
  if (format === "png" && bytes.length >= 24) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (format === "jpeg") return jpegSize(bytes);
  return undefined;
}

/** Walks the JPEG segments to the first start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC), which holds the size. */
function jpegSize(bytes: Buffer): { width: number; height: number } | undefined {
  let offset = 2;
  while (offset + 9 <= bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  return undefined;
}
