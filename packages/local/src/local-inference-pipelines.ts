/**
 * The local stack's video pipelines: what serves Roboflow's `/inference_pipelines/*` routes
 * (the service's InferencePipelines port) with @cvflow/video's VideoPipeline in this process.
 * Each pipeline's results wait in a bounded buffer (results-buffer.ts) until consumed; an ended
 * pipeline stays until terminated, so its last results can still be consumed and its report read.
 * Closing the manager (the stack closing) terminates every pipeline, which kills their ffmpeg.
 */
import { randomUUID } from "node:crypto";
import { WorkflowError, type WorkflowEngine } from "@cvflow/engine";
import type { ConsumedResult, InferencePipeline, InferencePipelines, PipelineReport, PipelineStart } from "@cvflow/service";
import { VideoPipeline, type PipelineState, type VideoFrame } from "@cvflow/video";
import { ResultsBuffer } from "./results-buffer.js";

/** Roboflow's StreamState for each of VideoPipeline's states (pausing mutes, as Roboflow's pause does: a live source goes on, its frames dropped). */
const STREAM_STATE: Record<PipelineState, string> = {
  initialised: "NOT_STARTED",
  running: "RUNNING",
  paused: "MUTED",
  ended: "ENDED",
  terminated: "TERMINATING",
  failed: "ERROR",
};
/** Frames VideoPipeline decodes ahead per source (its default): the report's `buffer_size`. */
const DECODE_AHEAD = 2;
/** The newest status updates a report keeps. */
const MAX_STATUS_UPDATES = 32;
/** Roboflow's UpdateSeverity, whose values (Python's logging levels) its server sends. */
const INFO = 20;
const ERROR = 40;

type StatusUpdate = PipelineReport["video_source_status_updates"][number];

class LocalInferencePipeline implements InferencePipeline {
  readonly #video: VideoPipeline;
  readonly #references: string[];
  readonly #results: ResultsBuffer<ConsumedResult>;
  readonly #updates: StatusUpdate[] = [];
  readonly #ended: Promise<void>;
  #error: { code: string; message: string } | undefined;

  constructor(
    readonly id: string,
    readonly workspace: string,
    engine: WorkflowEngine,
    start: PipelineStart,
    private readonly forget: () => void,
  ) {
    this.#references = start.videoReferences.map(String);
    this.#results = new ResultsBuffer(start.resultsBufferSize);
    const several = start.videoReferences.length > 1;
    this.#video = VideoPipeline.initWithWorkflow({
      engine,
      videoReference: several ? start.videoReferences : start.videoReferences[0]!,
      workflow: start.workflow,
      // JSON now: what waits in the buffer is what consume sends, and no frame's pixels are kept.
      serializeResults: true,
      // As Roboflow's pipelines (SinkMode.ADAPTIVE): one source, a result per frame; several, a result
      // per tick with an entry per source (null where a source gave no frame).
      ...(several
        ? { onPredictions: (results, frames) => this.#results.push({ outputs: results, frames_metadata: frames.map((frame) => frame && frameMetadata(frame)) }) }
        : { onPrediction: (result, frame) => this.#results.push({ outputs: [result], frames_metadata: [frameMetadata(frame)] }) }),
      maxFps: start.maxFps,
      imageInputName: start.imageInputName,
      videoMetadataInputName: start.videoMetadataInputName,
      workflowsParameters: start.parameters,
      disableSinks: start.disableSinks,
    });
    this.#video.start();
    this.#update(INFO, "INFERENCE_THREAD_STARTED", {}, "inference_pipeline");
    this.#ended = this.#video.join().then(
      () => this.#update(INFO, "INFERENCE_COMPLETED", {}, "inference_pipeline"),
      (error: unknown) => {
        this.#error = error instanceof WorkflowError ? { code: error.code, message: error.message } : { code: "internal_error", message: "The pipeline stopped on an unexpected error" };
        this.#update(ERROR, "INFERENCE_ERROR", { error_type: this.#error.code, error_message: this.#error.message }, "inference_pipeline");
      },
    );
  }

  pause(): boolean {
    if (!this.#live()) return false;
    this.#video.pause();
    this.#sourcesChanged("RUNNING", "MUTED");
    return true;
  }

  resume(): boolean {
    if (!this.#live()) return false;
    this.#video.resume();
    this.#sourcesChanged("MUTED", "RUNNING");
    return true;
  }

  async terminate(): Promise<void> {
    this.forget();
    this.#video.terminate();
    await this.#ended;
  }

  consume(excludedFields: readonly string[]): ConsumedResult | undefined {
    const result = this.#results.shift();
    if (!result || excludedFields.length === 0) return result;
    const excluded = new Set(excludedFields);
    return { ...result, outputs: result.outputs.map((output) => output && Object.fromEntries(Object.entries(output).filter(([name]) => !excluded.has(name)))) };
  }

  report(): PipelineReport {
    const status = this.#video.status();
    const state = STREAM_STATE[status.state];
    return {
      video_source_status_updates: [...this.#updates],
      latency_reports: [],
      inference_throughput: status.fps ?? 0,
      sources_metadata: this.#references.map((reference, sourceId) => {
        const source = status.sources.find((s) => s.sourceId === sourceId);
        return {
          source_properties: null,
          source_reference: reference,
          buffer_size: DECODE_AHEAD,
          // A source that ended while others go on is ENDED on its own.
          state: source?.ended && state === "RUNNING" ? "ENDED" : state,
          // Files wait for the workflow; live sources drop what it cannot keep up with.
          buffer_filling_strategy: source ? (source.live ? "DROP_OLDEST" : "WAIT") : null,
          buffer_consumption_strategy: null,
          source_id: sourceId,
        };
      }),
      cvflow: {
        frames_processed: status.framesProcessed,
        frames_dropped: status.framesDropped + status.framesSkipped,
        results_dropped: this.#results.dropped,
        results_buffered: this.#results.size,
        ...(this.#error ? { error: this.#error } : {}),
      },
    };
  }

  #live(): boolean {
    const { state } = this.#video.status();
    return state === "running" || state === "paused";
  }

  /** Roboflow's SOURCE_STATE_UPDATE of each source, as its VideoSource sends one on every change of state. */
  #sourcesChanged(previous: string, next: string): void {
    this.#references.forEach((_, sourceId) => this.#update(INFO, "SOURCE_STATE_UPDATE", { previous_state: previous, new_state: next, source_id: sourceId }, "video_source"));
  }

  #update(severity: number, eventType: string, payload: Record<string, unknown>, context: string): void {
    this.#updates.push({ timestamp: new Date().toISOString(), severity, event_type: eventType, payload, context });
    if (this.#updates.length > MAX_STATUS_UPDATES) this.#updates.shift();
  }
}

function frameMetadata(frame: VideoFrame): ConsumedResult["frames_metadata"][number] {
  return { frame_timestamp: frame.frameTimestamp.toISOString(), frame_id: frame.frameId, source_id: frame.sourceId };
}

export class LocalInferencePipelines implements InferencePipelines {
  readonly #pipelines = new Map<string, LocalInferencePipeline>();

  constructor(private readonly engine: WorkflowEngine) {}

  async start(start: PipelineStart): Promise<InferencePipeline> {
    const id = randomUUID();
    const pipeline = new LocalInferencePipeline(id, start.workspace, this.engine, start, () => this.#pipelines.delete(id));
    this.#pipelines.set(id, pipeline);
    return pipeline;
  }

  list(workspace: string): string[] {
    return [...this.#pipelines.values()].filter((pipeline) => pipeline.workspace === workspace).map((pipeline) => pipeline.id);
  }

  get(workspace: string, id: string): InferencePipeline | undefined {
    const pipeline = this.#pipelines.get(id);
    return pipeline?.workspace === workspace ? pipeline : undefined;
  }

  /** Terminates every pipeline (the stack is closing). */
  async close(): Promise<void> {
    await Promise.all([...this.#pipelines.values()].map((pipeline) => pipeline.terminate()));
  }
}
