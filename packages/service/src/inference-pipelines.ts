/**
 * What the `/inference_pipelines/*` routes ask of whoever runs video pipelines: Roboflow's stream
 * manager, as a port. The service stays free of ffmpeg: a long-lived process (the local stack)
 * gives it an implementation (packages/local's LocalInferencePipelines over @cvflow/video); on
 * Lambda there is none and the routes answer 501. Shapes are the wire's, as Roboflow's server
 * answers them (its stream_manager entities), so the use cases only wrap them.
 */

/** One pipeline to start: the workflow already resolved and access-checked by the service. */
export interface PipelineStart {
  /** Who owns it: only keys of this workspace see, steer and consume it. */
  workspace: string;
  /** The workflow's definition, which the service has compiled once (a wrong one is the request's 400). */
  workflow: unknown;
  /** One or several sources (a file, a URL, a stream, a camera index): several are a batch, as in Roboflow. */
  videoReferences: (string | number)[];
  maxFps: number | undefined;
  /** The workflow's image input that gets each frame; default "image". */
  imageInputName: string;
  /** The workflow's WorkflowVideoMetadata input, when it has one by this name; default "video_metadata". */
  videoMetadataInputName: string;
  /** The workflow's other inputs, the same for every frame. */
  parameters: Record<string, unknown>;
  /** `processing_configuration.disable_sinks`: every sink step answers that it sent nothing. */
  disableSinks: boolean;
  /** How many frames' results wait for `consume` before the oldest is dropped (counted); Roboflow's default 64. */
  resultsBufferSize: number;
}

/** Roboflow's `FrameMetadata` of one source's frame in a consumed result. */
export interface ConsumedFrame {
  /** ISO 8601. */
  frame_timestamp: string;
  frame_id: number;
  source_id: number | null;
}

/** One buffered result: per source, its outputs (JSON, excluded fields left out) and its frame; null where a source had no frame. */
export interface ConsumedResult {
  outputs: (Record<string, unknown> | null)[];
  frames_metadata: (ConsumedFrame | null)[];
}

/** Roboflow's `PipelineStateReport` (as `asdict` writes it), plus cvflow's counters under `cvflow`. */
export interface PipelineReport {
  /** `severity`: Roboflow's UpdateSeverity value (Python's logging levels: 20 info, 40 error). */
  video_source_status_updates: { timestamp: string; severity: number; event_type: string; payload: Record<string, unknown>; context: string }[];
  latency_reports: { source_id: number | null; frame_decoding_latency: number | null; inference_latency: number | null; e2e_latency: number | null }[];
  /** Frames per second through the workflow, over the recent frames. */
  inference_throughput: number;
  sources_metadata: {
    source_properties: { width: number; height: number; total_frames: number; is_file: boolean; fps: number } | null;
    source_reference: string;
    buffer_size: number;
    /** Roboflow's StreamState: NOT_STARTED, INITIALISING, RUNNING, PAUSED, MUTED, TERMINATING, ENDED, ERROR. */
    state: string;
    buffer_filling_strategy: string | null;
    buffer_consumption_strategy: string | null;
    source_id: number | null;
  }[];
  cvflow: {
    /** Frames the workflow ran on. */
    frames_processed: number;
    /** Frames decoded but skipped to keep up with a live source or `max_fps` (never run). */
    frames_dropped: number;
    /** Results pushed out of the full buffer before anyone consumed them. */
    results_dropped: number;
    /** Results waiting for `consume`. */
    results_buffered: number;
    /** Set when the pipeline stopped on an error: what it was. */
    error?: { code: string; message: string };
  };
}

export interface InferencePipeline {
  readonly id: string;
  /** false: the pipeline has ended (its source finished, it failed or was terminated); nothing to pause. */
  pause(): boolean;
  resume(): boolean;
  /** Stops it (if still running) and forgets it: its buffered results go with it. */
  terminate(): Promise<void>;
  report(): PipelineReport;
  /** The oldest buffered result, removed from the buffer (Roboflow's InMemoryBufferSink); undefined when there is none. */
  consume(excludedFields: readonly string[]): ConsumedResult | undefined;
}

export interface InferencePipelines {
  /** Starts a pipeline; fails (a WorkflowError) when its source cannot be opened or its workflow does not fit. */
  start(start: PipelineStart): Promise<InferencePipeline>;
  /** The ids of the workspace's pipelines not yet terminated (ended ones included: their results may still be consumed). */
  list(workspace: string): string[];
  /** The workspace's pipeline, undefined when there is none by this id (or it is another workspace's). */
  get(workspace: string, id: string): InferencePipeline | undefined;
}
