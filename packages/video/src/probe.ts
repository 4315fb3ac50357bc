/** What a video is, asked of ffprobe (its JSON): size, frame rate, frames and duration when known. */
import { FFPROBE, lastError, runToEnd } from "./ffmpeg.js";
import { videoSourceUnreadable } from "./errors.js";
import { resolveReference, type VideoReference } from "./video-reference.js";

export interface VideoProbe {
  width: number;
  height: number;
  /** Frames per second the stream declares (avg, else r_frame_rate); null when it declares none. */
  fps: number | null;
  /** Frames in the stream when the container says so (nb_frames) or duration x fps gives it; null for live sources. */
  frameCount: number | null;
  /** Seconds; null for live sources. */
  durationSeconds: number | null;
  codec: string;
}

interface FfprobeStream {
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  duration?: string;
  codec_name?: string;
}

export async function probeVideo(reference: VideoReference, options: { timeoutSeconds?: number } = {}): Promise<VideoProbe> {
  const source = resolveReference(reference);
  const timeout = options.timeoutSeconds ?? 15;
  const args = [
    "-v", "error",
    "-print_format", "json",
    "-show_streams", "-show_format",
    "-select_streams", "v:0",
    // Network sources: give up instead of hanging on a dead server (microseconds).
    ...(source.kind === "url" ? ["-rw_timeout", String(timeout * 1_000_000)] : []),
    ...source.inputArgs,
    "-i", source.input,
  ];
  const result = await runToEnd(FFPROBE, args);
  if (result.code !== 0) throw videoSourceUnreadable(String(reference), lastError(result.stderr));
  const parsed = JSON.parse(result.stdout) as { streams?: FfprobeStream[]; format?: { duration?: string } };
  const stream = parsed.streams?.[0];
  if (!stream?.width || !stream.height) throw videoSourceUnreadable(String(reference), "it has no video stream");
  const fps = rate(stream.avg_frame_rate) ?? rate(stream.r_frame_rate);
  const duration = number(stream.duration) ?? number(parsed.format?.duration);
  const declared = number(stream.nb_frames);
  const frameCount = declared !== null && declared > 0 ? declared : duration !== null && fps !== null ? Math.round(duration * fps) : null;
  return { width: stream.width, height: stream.height, fps, frameCount, durationSeconds: duration, codec: stream.codec_name ?? "unknown" };
}

/** "30000/1001" -> 29.97; "0/0" (unknown) -> null. */
function rate(text: string | undefined): number | null {
  const [num, den] = (text ?? "").split("/").map(Number);
  return num && den && Number.isFinite(num / den) ? num / den : null;
}

function number(text: string | undefined): number | null {
  const value = Number(text);
  return text !== undefined && text !== "N/A" && Number.isFinite(value) ? value : null;
}
