import { describe, expect, it } from "vitest";
import { imageContentType, imageExtension, sniffImageFormat } from "../src/index.js";

const bytes = (...parts: (number[] | string)[]): Uint8Array => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "latin1") : Buffer.from(p))));

describe("sniffImageFormat", () => {
  it.each([
    ["jpeg", bytes([0xff, 0xd8, 0xff, 0xe0])],
    ["png", bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])],
    ["webp", bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 ")],
    ["gif", bytes("GIF87a")],
    ["gif", bytes("GIF89a", [1, 0])],
    ["tiff", bytes([0x49, 0x49, 0x2a, 0x00])],
    ["tiff", bytes([0x4d, 0x4d, 0x00, 0x2a])],
    ["bmp", bytes("BM", [0, 0])],
  ])("tells %s by its signature", (format, data) => {
    expect(sniffImageFormat(data)).toBe(format);
  });

  it.each([
    ["an SOI without a marker after it", bytes([0xff, 0xd8, 0x00])],
    ["a cut PNG signature", bytes([0x89, 0x50, 0x4e, 0x47])],
    ["a RIFF that is not WebP", bytes("RIFF", [0, 0, 0, 0], "WAVE")],
    ["a PDF", bytes("%PDF-1.7")],
    ["nothing", new Uint8Array(0)],
  ])("knows nothing of %s", (_, data) => {
    expect(sniffImageFormat(data)).toBeUndefined();
  });

  it("names each format's MIME type and file extension", () => {
    expect([imageContentType("jpeg"), imageExtension("jpeg")]).toEqual(["image/jpeg", "jpg"]);
    expect([imageContentType("png"), imageExtension("png")]).toEqual(["image/png", "png"]);
    expect([imageContentType("bmp"), imageExtension("tiff")]).toEqual(["image/bmp", "tiff"]);
  });
});
