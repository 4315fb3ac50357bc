/**
 * A video job's frames as the workflow takes them, in a segment's worker and in the replay alike:
 * decoded from the presigned URL as a file (never dropping a frame), numbered in the whole video,
 * fed to the job's image input and to the workflow's WorkflowVideoMetadata input if it has one —
 * what VideoPipeline feeds `cvflow process-video`'s runs.
 */
import type { CompiledWorkflow } from "@cvflow/engine";
import { frameImage, frameVideoMetadata, VideoSource, type VideoFrame } from "@cvflow/video";
import type { BatchVideoInput } from "@cvflow/wire";
import type { OpenedVideo } from "./video-job.js";

export async function openFrames(video: OpenedVideo, input: BatchVideoInput, range: { startFrame?: number; frameLimit?: number }, signal: AbortSignal): Promise<VideoSource> {
  return VideoSource.open(video.url, {
    live: false,
    probe: video.probe,
    modifiedAt: video.modifiedAt,
    signal,
    ...(input.max_fps === undefined ? {} : { maxFps: input.max_fps }),
    ...(range.startFrame === undefined ? {} : { startFrame: range.startFrame }),
    ...(range.frameLimit === undefined ? {} : { frameLimit: range.frameLimit }),
  });
}

export function frameInputs(plan: CompiledWorkflow, parameters: Record<string, unknown>, imageInput: string, frame: VideoFrame): Record<string, unknown> {
  const metadata = frameVideoMetadata(frame);
  const inputs: Record<string, unknown> = { ...parameters, [imageInput]: frameImage(frame, `/inputs/${imageInput}`, metadata) };
  const metadataInput = plan.inputs.find((input) => input.type === "video_metadata");
  if (metadataInput) inputs[metadataInput.name] = metadata;
  return inputs;
}
