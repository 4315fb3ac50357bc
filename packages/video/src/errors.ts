/** The video package's errors: WorkflowErrors with a code, as every other error a client sees. */
import { WorkflowError } from "@cvflow/engine";

export const VIDEO_ERRORS = ["ffmpeg_missing", "video_source_unreadable", "video_decode_failed", "video_write_failed"] as const;
export type VideoErrorCode = (typeof VIDEO_ERRORS)[number];

/** ffmpeg (or ffprobe) is not on PATH: one line saying how to get it. */
export function ffmpegMissing(program: string): WorkflowError {
  return new WorkflowError("ffmpeg_missing", `${program} is not installed: apt-get install ffmpeg (Debian/Ubuntu), or put ${program} on PATH`, 500, { program });
}

/** The source could not be opened or holds no video stream; `reason` is ffmpeg's own last words. */
export function videoSourceUnreadable(reference: string, reason: string): WorkflowError {
  return new WorkflowError("video_source_unreadable", `Cannot read the video "${reference}": ${reason}`, 400, { video_reference: reference });
}

export function videoDecodeFailed(reference: string, reason: string): WorkflowError {
  return new WorkflowError("video_decode_failed", `Decoding the video "${reference}" failed: ${reason}`, 500, { video_reference: reference });
}

export function videoWriteFailed(path: string, reason: string): WorkflowError {
  return new WorkflowError("video_write_failed", `Writing the video "${path}" failed: ${reason}`, 500, {});
}
