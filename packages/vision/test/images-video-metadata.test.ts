import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { loadImage } from "../src/images/load-image.js";
import { serializeImage } from "../src/images/serialize-image.js";
import { photoVideoMetadata, readVideoMetadata } from "../src/images/video-metadata.js";

const FRAME = {
  video_identifier: "camera-7",
  frame_number: 42,
  frame_timestamp: "2024-05-01T12:00:03.500000",
  fps: 12.5,
  measured_fps: 11.9,
  comes_from_video_file: false,
};

async function jpeg(): Promise<string> {
  return (await sharp({ create: { width: 64, height: 48, channels: 3, background: "#406080" } }).jpeg().toBuffer()).toString("base64");
}

describe("the video frame an image is", () => {
  it("is echoed as it came, kept by an image drawn from it, dropped by a crop unless it keeps its frame", async () => {
    const image = await loadImage({ type: "base64", value: await jpeg(), video_metadata: FRAME }, "/inputs/frame");
    expect(image.videoMetadata).toEqual(FRAME);
    expect((await serializeImage(image)).video_metadata).toEqual(FRAME);
    const drawn = image.withPixels({ ...image.pixels, data: image.pixels.data.map((v) => 255 - v) });
    expect((await serializeImage(drawn)).video_metadata).toEqual(FRAME);

    const crop = image.crop(0, 0, 32, 24, "crop-1");
    expect(crop.videoMetadata).toMatchObject({ video_identifier: "crop-1", frame_number: 0, fps: 30 });
    const staticCrop = image.crop(0, 0, 32, 24, "static-1", true);
    expect(staticCrop.videoMetadata).toEqual({ ...FRAME, video_identifier: "camera-7 | crop: static-1" });
  });

  it("of a photo is Roboflow's default: frame 0 of a 30 fps video named after the image, stamped when read", async () => {
    const before = new Date().toISOString();
    const image = await loadImage({ type: "base64", value: await jpeg() }, "/inputs/photos/1");
    const wire = await serializeImage(image);
    const after = new Date().toISOString();
    expect(Object.keys(wire.video_metadata)).toEqual(["video_identifier", "frame_number", "frame_timestamp", "fps", "measured_fps", "comes_from_video_file"]);
    expect(wire.video_metadata).toMatchObject({ video_identifier: "photos.[1]", frame_number: 0, fps: 30, measured_fps: null, comes_from_video_file: null });
    expect(wire.video_metadata.frame_timestamp >= before && wire.video_metadata.frame_timestamp <= after).toBe(true);
    expect(photoVideoMetadata("x", new Date(0))).toEqual({ video_identifier: "x", frame_number: 0, frame_timestamp: "1970-01-01T00:00:00.000Z", fps: 30, measured_fps: null, comes_from_video_file: null });
  });

  it("takes optional fields as null and a timestamp in seconds, and refuses malformed ones naming the field", async () => {
    expect(readVideoMetadata({ video_identifier: "v", frame_number: 1, frame_timestamp: 1714564803.5 })).toEqual({
      video_identifier: "v", frame_number: 1, frame_timestamp: "2024-05-01T12:00:03.500Z", fps: null, measured_fps: null, comes_from_video_file: null,
    });
    const cases: [unknown, string][] = [
      ["frame 1", "video_metadata"],
      [{ ...FRAME, video_identifier: 7 }, "video_metadata.video_identifier"],
      [{ ...FRAME, frame_number: 1.5 }, "video_metadata.frame_number"],
      [{ ...FRAME, frame_timestamp: "yesterday" }, "video_metadata.frame_timestamp"],
      [{ ...FRAME, fps: "12" }, "video_metadata.fps"],
      [{ ...FRAME, comes_from_video_file: "no" }, "video_metadata.comes_from_video_file"],
    ];
    const value = await jpeg();
    for (const [video_metadata, field] of cases) {
      const error = await loadImage({ type: "base64", value, video_metadata }, "/inputs/image").catch((e: unknown) => e);
      expect(error, field).toMatchObject({ code: "invalid_image_input", status: 400, details: { field, pointer: "/inputs/image" } });
    }
  });
});
