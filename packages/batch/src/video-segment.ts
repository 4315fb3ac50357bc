/**
 * A video job's segment, in a worker: its frames decoded (an accurate seek to its first frame),
 * the replayable part of the workflow run on each — the models, and what depends on them alone —
 * and every replayable step's output per frame written as the segment's cache. The cache's
 * existence marks the segment done: a retry or a restart skips it.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { MemoryVideoState, replayableSteps, type CompiledWorkflow, type WorkflowEngine } from "@cvflow/engine";
import { isNotFound } from "@cvflow/store";
import { isRecord, type BatchVideoInput } from "@cvflow/wire";
import type { BatchJob } from "./job.js";
import { batchKeys } from "./layout.js";
import type { ManifestItem } from "./manifest.js";
import { TransientError } from "./transient-error.js";
import { frameInputs, openFrames } from "./video-frames.js";
import { namingSource, openVideo } from "./video-job.js";
import { frameDigest, SegmentCacheWriter } from "./video-step-cache.js";

/**
 * The workflow cut to its replayable steps (same names, same inputs, no outputs): what a segment
 * runs. Undefined when nothing is replayable (the replay then runs everything).
 */
export function replayablePart(engine: WorkflowEngine, specification: Record<string, unknown>, plan: CompiledWorkflow): CompiledWorkflow | undefined {
  const replayable = replayableSteps(plan);
  if (replayable.size === 0) return undefined;
  const definition = isRecord(specification["specification"]) ? specification["specification"] : specification;
  const steps = (definition["steps"] as Record<string, unknown>[]).filter((step) => replayable.has(step["name"] as string));
  return engine.compile({ ...definition, steps, outputs: [] });
}

export async function segmentDone(client: S3Client, bucket: string, job: string, segment: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: batchKeys.videoSegment(job, segment) }));
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

export async function runSegment(
  deps: { client: S3Client; engine: WorkflowEngine; bucket: string },
  id: string,
  job: BatchJob,
  part: CompiledWorkflow | undefined,
  item: ManifestItem,
  deadline: AbortSignal,
): Promise<"processed" | "skipped"> {
  if (await segmentDone(deps.client, deps.bucket, id, item.image)) return "skipped";
  const input = job.input as BatchVideoInput;
  const cache = new SegmentCacheWriter();
  if (part) {
    const { first_frame: first, last_frame: last } = item.segment!;
    const video = await openVideo(deps.client, input);
    try {
      const source = await openFrames(video, input, { startFrame: first - 1, ...(last === null ? {} : { frameLimit: last - first + 1 }) }, deadline);
      for await (const frame of source) {
        const { checkpoints, done } = cache.frame(frame.frameId, frameDigest(frame.image.data));
        await deps.engine.run(part, frameInputs(part, job.parameters, job.image_input, frame), { signal: deadline, serialize: false, checkpoints, services: { videoState: new MemoryVideoState() } });
        done();
      }
    } catch (error) {
      if (deadline.aborted) throw new TransientError(`The worker's deadline came while segment ${item.image} was running; a retry runs it again`, { cause: error });
      throw namingSource(error, { url: video.url, source: input.video });
    }
  }
  await deps.client.send(new PutObjectCommand({ Bucket: deps.bucket, Key: batchKeys.videoSegment(id, item.image), Body: cache.bytes(), ContentType: "application/gzip" }));
  return "processed";
}
