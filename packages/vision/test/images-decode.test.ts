import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage } from "../src/images/decode-image.js";
import { inputLineage } from "../src/images/workflow-image.js";
import { meanAbsDiff, photo } from "./image-fixtures.js";
import { missing } from "./test-assets.js";

const lineage = inputLineage("image");

describe.skipIf(missing("decoding photos", { photos: ["bus.jpg", "chelsea.png", "coffee.png"] }))("decoding photos", () => {
  it("decodes a JPEG to 8-bit RGB and keeps its bytes as the source", async () => {
    const bytes = photo("bus.jpg");
    const image = await decodeImage(bytes, lineage);
    expect([image.width, image.height, image.channels]).toEqual([810, 1080, 3]);
    expect(image.pixels.data.length).toBe(810 * 1080 * 3);
    expect(image.source?.equals(bytes)).toBe(true);
    expect(image.lineage).toEqual(lineage);
  });

  it("decodes PNG, lossless WebP and TIFF to the same pixels", async () => {
    const png = photo("chelsea.png");
    const reference = await decodeImage(png, lineage);
    expect([reference.width, reference.height, reference.channels]).toEqual([451, 300, 3]);
    const variants = {
      webp: await sharp(png).webp({ lossless: true }).toBuffer(),
      tiff: await sharp(png).tiff({ compression: "lzw" }).toBuffer(),
    };
    for (const [format, bytes] of Object.entries(variants)) {
      const image = await decodeImage(bytes, lineage);
      expect([format, image.width, image.height, image.channels]).toEqual([format, 451, 300, 3]);
      expect(Buffer.from(image.pixels.data).equals(Buffer.from(reference.pixels.data)), format).toBe(true);
    }
  });

  it("decodes lossy WebP and JPEG-compressed TIFF close to the original", async () => {
    const png = photo("coffee.png");
    const reference = await decodeImage(png, lineage);
    for (const bytes of [await sharp(png).webp({ quality: 90 }).toBuffer(), await sharp(png).tiff({ compression: "jpeg" }).toBuffer()]) {
      const image = await decodeImage(bytes, lineage);
      expect([image.width, image.height]).toEqual([600, 400]);
      expect(meanAbsDiff(image.pixels.data, reference.pixels.data)).toBeLessThan(4);
    }
  });

  it("takes the first frame of an animated GIF", async () => {
    const png = photo("chelsea.png");
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const white = Buffer.alloc(data.length, 255);
    const gif = await sharp(Buffer.concat([data, white]), { raw: { width: info.width, height: info.height * 2, channels: 3, pageHeight: info.height } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(2);
    const image = await decodeImage(gif, lineage);
    expect([image.width, image.height, image.channels]).toEqual([451, 300, 3]);
    // A 256-colour palette, so close rather than equal — and nothing like the white second frame.
    expect(meanAbsDiff(image.pixels.data, data)).toBeLessThan(8);
    expect(meanAbsDiff(image.pixels.data, white)).toBeGreaterThan(50);
  });

  it("applies EXIF orientation 6 (rotate 90° clockwise): sizes swap, pixels move, the source is dropped", async () => {
    const stored = await sharp(photo("bus.jpg")).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer();
    expect((await sharp(stored).metadata()).orientation).toBe(6);
    const raw = await sharp(stored).raw().toBuffer({ resolveWithObject: true }); // sharp does not orient unless asked
    const [w, h] = [raw.info.width, raw.info.height];
    expect([w, h]).toEqual([810, 1080]);

    const image = await decodeImage(stored, lineage);
    expect([image.width, image.height]).toEqual([1080, 810]);
    expect(image.source).toBeUndefined();
    // Rotating clockwise moves stored (x, y) to (h - 1 - y, x): displayed (X, Y) shows stored (Y, h - 1 - X).
    for (const [X, Y] of [[0, 0], [1079, 0], [0, 809], [1079, 809], [300, 500], [777, 123]] as const) {
      const shown = image.pixels.data.subarray((Y * 1080 + X) * 3, (Y * 1080 + X) * 3 + 3);
      const from = ((h - 1 - X) * w + Y) * 3;
      expect([...shown], `(${X}, ${Y})`).toEqual([...raw.data.subarray(from, from + 3)]);
    }
  });

  it("converts a CMYK JPEG to RGB", async () => {
    const bus = photo("bus.jpg");
    const cmyk = await sharp(bus).toColourspace("cmyk").jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe("cmyk");
    const image = await decodeImage(cmyk, lineage);
    expect(image.channels).toBe(3);
    const reference = await decodeImage(bus, lineage);
    expect(meanAbsDiff(image.pixels.data, reference.pixels.data)).toBeLessThan(10);
  });
});

describe("decoding channels and depths as OpenCV's IMREAD_COLOR does", () => {
  it("drops alpha without compositing, keeping the colour under a transparent pixel", async () => {
    const rgba = Buffer.from([200, 100, 50, 0, 10, 20, 30, 255, 1, 2, 3, 128]);
    const png = await sharp(rgba, { raw: { width: 3, height: 1, channels: 4 } }).png().toBuffer();
    const image = await decodeImage(png, lineage);
    expect(image.channels).toBe(3);
    expect([...image.pixels.data]).toEqual([200, 100, 50, 10, 20, 30, 1, 2, 3]);
  });

  it("expands grayscale to three equal channels", async () => {
    const png = await sharp(Buffer.from([0, 100, 255]), { raw: { width: 3, height: 1, channels: 1 } }).toColourspace("b-w").png().toBuffer();
    expect((await sharp(png).metadata()).channels).toBe(1);
    const image = await decodeImage(png, lineage);
    expect([...image.pixels.data]).toEqual([0, 0, 0, 100, 100, 100, 255, 255, 255]);
  });

  it("tolerates a JPEG with stray bytes before a marker, a warning OpenCV tolerates too", async () => {
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#c04020" } }).jpeg().toBuffer();
    const marker = jpeg.indexOf(Buffer.from([0xff, 0xc4]));
    const stray = Buffer.concat([jpeg.subarray(0, marker), Buffer.from([0, 0]), jpeg.subarray(marker)]);
    await expect(sharp(stray).raw().toBuffer()).rejects.toThrow(/extraneous bytes/); // sharp's default, failOn "warning"
    const image = await decodeImage(stray, lineage);
    expect([image.width, image.height]).toEqual([64, 48]);
  });

  it("reduces 16-bit PNG to 8 bits", async () => {
    const png = await sharp(Buffer.from([200, 100, 50, 10, 20, 30]), { raw: { width: 2, height: 1, channels: 3 } }).toColourspace("rgb16").png().toBuffer();
    expect((await sharp(png).metadata()).depth).toBe("ushort");
    const image = await decodeImage(png, lineage);
    expect([...image.pixels.data]).toEqual([200, 100, 50, 10, 20, 30]);
  });
});
