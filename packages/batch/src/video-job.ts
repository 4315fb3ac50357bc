/**
 * What a video job's phases share (docs/batch.md, "Video jobs"): its segments, how a worker or
 * Finalize reads the video (ffmpeg on a presigned GET: S3 and the local S3 server answer Range
 * requests), and its frames' timestamps (the object's LastModified less the video's duration,
 * the rule a file's modification time follows in `cvflow process-video`).
 */
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { WorkflowError } from "@cvflow/engine";
import { probeVideo, takenFileFrames, type VideoProbe } from "@cvflow/video";
import type { BatchVideoInput } from "@cvflow/wire";
import { invalidJob } from "./errors.js";
import type { ManifestItem } from "./manifest.js";
import { parseS3Url } from "./s3-location.js";

/** Longer than Finalize's 900 s: a URL must outlive the replay that reads it. */
const URL_SECONDS = 3600;

export interface OpenedVideo {
  url: string;
  probe: VideoProbe;
  /** The object's LastModified, ms. */
  modifiedAt: number;
}

export async function openVideo(client: S3Client, input: BatchVideoInput): Promise<OpenedVideo> {
  const { bucket, key } = parseS3Url(input.video)!;
  const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: URL_SECONDS });
  const probe = await probeVideo(url).catch((error: unknown) => Promise.reject(namingSource(error, { url, source: input.video })));
  return { url, probe, modifiedAt: head.LastModified?.getTime() ?? Date.now() };
}

/** ffmpeg's errors name what it read: the presigned URL (a credential for an hour) becomes the s3:// name. */
export function namingSource(error: unknown, video: { url: string; source: string }): unknown {
  if (!(error instanceof WorkflowError)) return error;
  return new WorkflowError(error.code, error.message.replaceAll(video.url, video.source), error.status, { video_reference: video.source });
}

/**
 * The segments of a video: `segmentFrames` taken frames each, by the max_fps rule every phase
 * applies (takenFileFrames). The last one runs to the end of the video, so that a frame count
 * that was an estimate (duration x fps, when the container does not count) loses no frame.
 */
export function videoSegments(source: string, probe: VideoProbe, input: BatchVideoInput): { items: ManifestItem[]; frames: number } {
  if (!probe.fps || probe.frameCount === null) {
    throw invalidJob([{ code: "video_not_splittable", message: `${source} declares no frame rate or length; a video job needs both to split it into segments`, pointer: "/input/video" }]);
  }
  const taken = takenFileFrames(probe.frameCount, probe.fps, input.max_fps);
  const size = input.segment_frames ?? 1;
  const items: ManifestItem[] = [];
  for (let start = 0; start < taken.length; start += size) {
    const last = start + size >= taken.length ? null : taken[start + size - 1]! + 1;
    items.push({ image: `segment-${String(items.length + 1).padStart(5, "0")}`, source, segment: { first_frame: taken[start]! + 1, last_frame: last } });
  }
  return { items, frames: taken.length };
}
