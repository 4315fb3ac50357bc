/**
 * Bad images end in their structured error, never in a crash or a memory spike. The tests run in
 * order; the last checks the peak memory of this test process across all of them.
 */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { loadImage } from "../src/images/load-image.js";
import { example, expectWorkflowError, pngHeaderOnly } from "./image-fixtures.js";

const at = "/inputs/image/0";
const base64 = (bytes: Buffer): { type: string; value: string } => ({ type: "base64", value: bytes.toString("base64") });

describe("bad images", () => {
  it("an empty image -> invalid_image", async () => {
    const error = await expectWorkflowError(loadImage({ type: "base64", value: "" }, at), "invalid_image", 400);
    expect(error.message).toMatch(/empty/);
    expect(error.details["pointer"]).toBe(at);
    await expectWorkflowError(loadImage(Buffer.alloc(0), at), "invalid_image", 400);
  });

  it("a JPEG cut in half (examples/images/dog.jpg) -> invalid_image", async () => {
    const dog = example("dog.jpg");
    const error = await expectWorkflowError(loadImage(base64(dog.subarray(0, dog.length >> 1)), at), "invalid_image", 400);
    expect(error.message).toMatch(/JPEG data could not be decoded/);
    expect(error.details).toMatchObject({ pointer: at, format: "jpeg" });
  });

  it("a PNG whose data is cut off after the header -> invalid_image", async () => {
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#3080c0" } }).png().toBuffer();
    await expectWorkflowError(loadImage(png.subarray(0, 40), at), "invalid_image", 400);
  });

  it("plain text -> unsupported_image_format", async () => {
    const text = Buffer.from("This is a plain text file, not an image.\n");
    const error = await expectWorkflowError(loadImage(base64(text), at), "unsupported_image_format", 400);
    expect(error.message).toMatch(/not a JPEG, PNG, WebP, GIF or TIFF image/);
    expect(error.details["supported"]).toEqual(["jpeg", "png", "webp", "gif", "tiff"]);
  });

  it("SVG and BMP are named and refused before sharp sees them", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="http://169.254.169.254/"/></svg>');
    expect((await expectWorkflowError(loadImage(svg, at), "unsupported_image_format", 400)).details["detected"]).toBe("SVG/XML/HTML");
    const bmp = Buffer.concat([Buffer.from("BM"), Buffer.alloc(60)]);
    expect((await expectWorkflowError(loadImage(bmp, at), "unsupported_image_format", 400)).details["detected"]).toBe("BMP");
  });

  it("a 30000x30000 PNG -> image_too_many_pixels, from its header alone", async () => {
    const png = pngHeaderOnly(30000, 30000);
    expect(png.length).toBeLessThan(100);
    const error = await expectWorkflowError(loadImage(base64(png), at), "image_too_many_pixels", 413);
    expect(error.details).toMatchObject({ width: 30000, height: 30000, max_pixels: 40_000_000, pointer: at });
  });

  it("a 50 MB base64 body -> image_too_large, before decoding", async () => {
    const value = "A".repeat(50 * 1024 * 1024);
    const error = await expectWorkflowError(loadImage({ type: "base64", value }, at), "image_too_large", 413);
    expect(error.details).toMatchObject({ max_bytes: 20 * 1024 * 1024, pointer: at });
    expect(error.message).toMatch(/37\.5 MiB, over the 20\.0 MiB limit/);
  });

  it("text that is not base64 -> invalid_image_input", async () => {
    await expectWorkflowError(loadImage("hello, world!", at), "invalid_image_input", 400);
  });

  it("peak memory stayed under 1 GB across all of the above", () => {
    const peakKiB = process.resourceUsage().maxRSS;
    expect(peakKiB * 1024).toBeLessThan(1024 ** 3);
  });
});
