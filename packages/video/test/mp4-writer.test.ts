import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Mp4Writer, probeVideo, VideoSource } from "../src/index.js";
import { videoMissing } from "./video-assets.js";

describe.skipIf(videoMissing("mp4 writer"))("Mp4Writer", () => {
  const dir = mkdtempSync(join(tmpdir(), "cvflow-video-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes rgb24 frames into an mp4 that decodes back to as many frames of that size (odd sides padded)", async () => {
    const path = join(dir, "out.mp4");
    const writer = await Mp4Writer.open(path, { width: 33, height: 24, fps: 10 });
    expect(writer.codec).toBe("libx264");
    for (let i = 0; i < 12; i++) await writer.write(new Uint8Array(33 * 24 * 3).fill(i * 20));
    await writer.close();
    expect(await probeVideo(path)).toMatchObject({ width: 34, height: 24, fps: 10, frameCount: 12, codec: "h264" });
    const back = await VideoSource.open(path);
    const first = (await back.next())!;
    await back.close();
    // Frame 0 was black: H.264 keeps it black to within a few levels.
    expect(Math.max(...first.image.data.subarray(0, 33 * 3))).toBeLessThan(8);
  });

  it("mpeg4 when asked (ffmpeg's own encoder, in every build); a frame of the wrong size is refused", async () => {
    const writer = await Mp4Writer.open(join(dir, "mpeg4.mp4"), { width: 32, height: 24, fps: 5, codec: "mpeg4" });
    await expect(writer.write(new Uint8Array(10))).rejects.toThrow("a frame must be 2304 bytes of rgb24; got 10");
    for (let i = 0; i < 5; i++) await writer.write(new Uint8Array(32 * 24 * 3));
    await writer.close();
    expect(await probeVideo(join(dir, "mpeg4.mp4"))).toMatchObject({ width: 32, height: 24, frameCount: 5, codec: "mpeg4" });
  });
});
