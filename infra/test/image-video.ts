/**
 * The image's ffmpeg and ffprobe through packages/video, for the image test: run in a process with
 * a batch step's environment (CVFLOW_FFMPEG and CVFLOW_FFPROBE in the task root) and no PATH, so
 * no other ffmpeg can answer. Writes a clip of a white square moving right across a black frame
 * with Mp4Writer, probes it, decodes it with VideoSource, and prints one JSON line: the encoder
 * used, the probe, and each frame's square as written and as decoded (pixels above mid-grey).
 *
 *   node --import tsx image-video.ts OUT_DIR
 */
import { join } from "node:path";
import { Mp4Writer, probeVideo, VideoSource } from "@cvflow/video";

const CLIP = { width: 64, height: 48, fps: 10, frames: 10, side: 8, top: 20 } as const;
/** The square's left edge in a frame: 5 px further right each frame. */
const left = (frame: number): number => 4 + 5 * frame;

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const [outDir] = process.argv.slice(2);
if (!outDir) throw new Error("usage: node --import tsx image-video.ts OUT_DIR");
const path = join(outDir, "square.mp4");

const writer = await Mp4Writer.open(path, { width: CLIP.width, height: CLIP.height, fps: CLIP.fps });
for (let frame = 0; frame < CLIP.frames; frame++) {
  const rgb = new Uint8Array(CLIP.width * CLIP.height * 3);
  for (let y = CLIP.top; y < CLIP.top + CLIP.side; y++) rgb.fill(255, (y * CLIP.width + left(frame)) * 3, (y * CLIP.width + left(frame) + CLIP.side) * 3);
  await writer.write(rgb);
}
await writer.close();

const probe = await probeVideo(path);
const written: Box[] = Array.from({ length: CLIP.frames }, (_, frame) => ({ left: left(frame), top: CLIP.top, right: left(frame) + CLIP.side - 1, bottom: CLIP.top + CLIP.side - 1 }));
const decoded: Box[] = [];
for await (const frame of await VideoSource.open(path)) {
  const { data, width, height, channels } = frame.image;
  const box = { left: width, top: height, right: -1, bottom: -1 };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (data[(y * width + x) * channels]! <= 128) continue;
      box.left = Math.min(box.left, x);
      box.top = Math.min(box.top, y);
      box.right = Math.max(box.right, x);
      box.bottom = Math.max(box.bottom, y);
    }
  }
  decoded.push(box);
}
console.log(JSON.stringify({ codec: writer.codec, probe, written, decoded }));
