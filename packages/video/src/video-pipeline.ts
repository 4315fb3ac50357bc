/**
 * VideoPipeline: a workflow run on every frame of one or more videos, the shape of Roboflow's
 * InferencePipeline (`initWithWorkflow`, `start`, `join`, `terminate`, `pause`, `resume`).
 *
 * Each tick takes the next frame of every source still going and runs the workflow once on them
 * as a batch (one source: one image), with the frames' WorkflowVideoMetadata when the workflow
 * declares that input, and ONE video state shared by every frame (trackers, counters, zones keep
 * theirs per step and video_identifier). ffmpeg, another process, decodes the next frames while a
 * tick runs, and each source's worker thread reads them from its pipe into the source's small
 * queue (onnxruntime-node's session.run holds the main thread, which could not read it). The models the workflow runs straight on its image input get each next frame
 * ready before the current frame's run starts (`prepareAhead`): its letterbox (sharp, on libuv's
 * pool) then overlaps that run's inference. Results go to the sink in frame order: `onPrediction`
 * is called once per frame (Roboflow's SinkMode.SEQUENTIAL), `onPredictions` once per tick with one
 * entry per source, null for a source that gave no frame that tick (SinkMode.BATCH).
 */
import { MemoryVideoState, type CompiledWorkflow, type WorkflowEngine } from "@cvflow/engine";
import { createWorkflowEngine } from "@cvflow/blocks";
import { createVisionModels, type LocalVisionModels, type VideoMetadata, type WorkflowImage } from "@cvflow/vision";
import { modelsOnImageInput } from "./prepare-ahead.js";
import type { VideoFrame } from "./video-frame.js";
import { frameImage, frameVideoMetadata } from "./video-metadata.js";
import type { VideoReference } from "./video-reference.js";
import { VideoSource } from "./video-source.js";

export type PredictionSink = (result: Record<string, unknown>, frame: VideoFrame) => void | Promise<void>;
/** One tick's results, aligned with the list of sources: null where a source gave no frame (it ended). */
export type BatchPredictionSink = (results: (Record<string, unknown> | null)[], frames: (VideoFrame | null)[]) => void | Promise<void>;

/** Where results go: per frame, or per tick aligned with the sources. */
export type PipelineSink = { onPrediction: PredictionSink; onPredictions?: never } | { onPredictions: BatchPredictionSink; onPrediction?: never };

export type VideoPipelineOptions = PipelineSink & VideoPipelineSettings;

export interface VideoPipelineSettings {
  /** One source, or several run together as a batch. */
  videoReference: VideoReference | readonly VideoReference[];
  /** The workflow definition (bare or `{"specification": ...}`) or a plan the engine compiled. */
  workflow: unknown;
  /** Take at most this many frames per second from each source. */
  maxFps?: number;
  /** Default: every core block, with the local models (createWorkflowEngine + createVisionModels). */
  engine?: WorkflowEngine;
  /**
   * The models `engine` runs (or the default engine is to run), to prepare each next frame's input
   * for them while the current frame runs. An engine given without its models runs every frame's
   * pre-processing in that frame's run.
   */
  models?: LocalVisionModels;
  /** The workflow's image input the frames go to; default "image". */
  imageInputName?: string;
  /** The workflow's WorkflowVideoMetadata input, when it declares one; default "video_metadata". */
  videoMetadataInputName?: string;
  /** The workflow's other inputs, the same for every frame. */
  workflowsParameters?: Readonly<Record<string, unknown>>;
  /** false (Roboflow's default): outputs as runtime values (Detections, images); true: their JSON form. */
  serializeResults?: boolean;
  /** Roboflow's `disable_sinks`: every sink step answers that it sent nothing. */
  disableSinks?: boolean;
  /** What stateful blocks keep; default a new one. Give one to carry state over from an earlier run. */
  videoState?: MemoryVideoState;
  /** Treat every source as live (drop frames when behind) or as a file (never drop); default by kind. */
  live?: boolean;
  /** Read files at their own frame rate (ffmpeg -re), as a camera would deliver them. */
  realtime?: boolean;
  /** Frames decoded ahead per source; default 2. */
  bufferFrames?: number;
  /** Terminates the pipeline when aborted. */
  signal?: AbortSignal;
  /** A resumed run (cvflow process-video): frames up to this frame id are decoded but not run — their results exist already (give `videoState` as it was after them). */
  resumeAfterFrame?: number;
}

export type PipelineState = "initialised" | "running" | "paused" | "ended" | "terminated" | "failed";

export interface PipelineStatus {
  state: PipelineState;
  /** Frames ffmpeg delivered, over all sources. */
  framesDecoded: number;
  /** Frames the workflow ran on and the sink got. */
  framesProcessed: number;
  /** Frames live sources dropped because the pipeline was behind (or paused). */
  framesDropped: number;
  /** Frames left out by maxFps. */
  framesSkipped: number;
  /** Frames processed per second over the last FPS_WINDOW frames; null before two. */
  fps: number | null;
  sources: { sourceId: number; reference: string; live: boolean; decoded: number; dropped: number; skipped: number; ended: boolean }[];
}

const FPS_WINDOW = 30;

export class VideoPipeline {
  readonly #options: VideoPipelineOptions;
  readonly #engine: WorkflowEngine;
  readonly #models: LocalVisionModels | undefined;
  readonly #plan: CompiledWorkflow;
  /** Frames whose image was made ahead of their run (to prepare the models' inputs), with the input pointer it was made for. */
  readonly #madeAhead = new WeakMap<VideoFrame, { pointer: string; image: WorkflowImage }>();
  readonly #videoState: MemoryVideoState;
  readonly #abort = new AbortController();
  readonly #finishedAt: number[] = [];
  #sources: VideoSource[] = [];
  readonly #ended = new Set<VideoSource>();
  #state: PipelineState = "initialised";
  #processed = 0;
  #running: Promise<void> | undefined;
  #resume: (() => void) | undefined;

  private constructor(options: VideoPipelineOptions, engine: WorkflowEngine, models: LocalVisionModels | undefined) {
    this.#options = options;
    this.#engine = engine;
    this.#models = models;
    // Compiled now: a wrong definition fails here, before any video is opened.
    this.#plan = engine.compile(options.workflow);
    this.#videoState = options.videoState ?? new MemoryVideoState();
    options.signal?.addEventListener("abort", () => this.terminate(), { once: true });
  }

  static initWithWorkflow(options: VideoPipelineOptions): VideoPipeline {
    if (options.engine) return new VideoPipeline(options, options.engine, options.models);
    const models = options.models ?? createVisionModels();
    return new VideoPipeline(options, createWorkflowEngine({ models }), models);
  }

  /** The state every frame's run shares (what trackers and counters keep). */
  get videoState(): MemoryVideoState {
    return this.#videoState;
  }

  /** Opens the sources and starts processing; `join()` waits for the end. */
  start(): void {
    if (this.#running) throw new Error("this pipeline has already been started");
    this.#state = "running";
    this.#running = this.#run().then(
      () => {
        if (this.#state !== "terminated") this.#state = "ended";
      },
      (error: unknown) => {
        if (this.#state === "terminated") return;
        this.#state = "failed";
        throw error;
      },
    );
    // join() reports a failure; until someone joins, it must not be an unhandled rejection.
    this.#running.catch(() => undefined);
  }

  /** Resolves once every source has ended or the pipeline was terminated; rejects with what stopped it. */
  async join(): Promise<void> {
    await this.#running;
  }

  /** Stops: no further frame is run, ffmpeg is killed. The frame being run finishes its run first. */
  terminate(): void {
    if (this.#state === "ended" || this.#state === "failed") return;
    this.#state = "terminated";
    this.#abort.abort(new Error("the video pipeline was terminated"));
    this.#wakeFromPause();
  }

  /** No further frame is taken until `resume()`; live sources go on decoding, dropping what is not taken. */
  pause(): void {
    if (this.#state === "running") this.#state = "paused";
  }

  resume(): void {
    if (this.#state !== "paused") return;
    this.#state = "running";
    this.#wakeFromPause();
  }

  status(): PipelineStatus {
    const sum = (key: "decoded" | "dropped" | "skipped") => this.#sources.reduce((total, source) => total + source.counters[key], 0);
    const first = this.#finishedAt[0];
    const last = this.#finishedAt.at(-1);
    return {
      state: this.#state,
      framesDecoded: sum("decoded"),
      framesProcessed: this.#processed,
      framesDropped: sum("dropped"),
      framesSkipped: sum("skipped"),
      fps: first !== undefined && last !== undefined && last > first ? ((this.#finishedAt.length - 1) * 1000) / (last - first) : null,
      sources: this.#sources.map((source) => ({
        sourceId: source.sourceId,
        reference: source.reference,
        live: source.live,
        decoded: source.counters.decoded,
        dropped: source.counters.dropped,
        skipped: source.counters.skipped,
        ended: this.#ended.has(source),
      })),
    };
  }

  async #run(): Promise<void> {
    const options = this.#options;
    const signal = this.#abort.signal;
    const references = Array.isArray(options.videoReference) ? (options.videoReference as readonly VideoReference[]) : [options.videoReference as VideoReference];
    const batched = Array.isArray(options.videoReference);
    const imageInput = options.imageInputName ?? "image";
    const metadataInput = this.#plan.inputs.find((input) => input.type === "video_metadata" && input.name === (options.videoMetadataInputName ?? "video_metadata"));
    const preparedModels = this.#models ? modelsOnImageInput(this.#plan, imageInput) : [];
    const pointerOf = (i: number) => (batched ? `/inputs/${imageInput}/${i}` : `/inputs/${imageInput}`);
    const opened = await Promise.allSettled(
      references.map((reference, sourceId) =>
        VideoSource.open(reference, { sourceId, maxFps: options.maxFps, live: options.live, realtime: options.realtime, bufferFrames: options.bufferFrames, signal }),
      ),
    );
    this.#sources = opened.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    try {
      const failed = opened.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
      for (;;) {
        await this.#whilePaused();
        if (signal.aborted) return;
        const going = this.#sources.filter((source) => !this.#ended.has(source));
        const next = await Promise.all(going.map((source) => source.next()));
        if (signal.aborted) return;
        const frames: VideoFrame[] = [];
        next.forEach((frame, i) => (frame ? frames.push(frame) : this.#ended.add(going[i]!)));
        if (frames.length === 0) return;
        if (options.resumeAfterFrame !== undefined && frames.every((frame) => frame.frameId <= options.resumeAfterFrame!)) continue;
        const metadata = frames.map(frameVideoMetadata);
        const images = frames.map((frame, i) => this.#imageOf(frame, pointerOf(i), metadata[i]!));
        const inputs: Record<string, unknown> = { ...options.workflowsParameters, [imageInput]: batched ? images : images[0] };
        if (metadataInput) inputs[metadataInput.name] = batched ? metadata : metadata[0];
        // Before this frame's run: onnxruntime-node's session.run holds the main thread, so the
        // next frame's letterbox (sharp, on libuv's pool) overlaps it only if started first.
        if (preparedModels.length > 0) await this.#prepareNext(preparedModels, pointerOf);
        const running = this.#engine.run(this.#plan, inputs, {
          signal,
          serialize: options.serializeResults ?? false,
          services: { videoState: this.#videoState, ...(options.disableSinks ? { sinksDisabled: true } : {}) },
        });
        const { outputs } = await running;
        if (options.onPredictions) {
          const aligned = this.#sources.map((source) => frames.findIndex((frame) => frame.sourceId === source.sourceId));
          await options.onPredictions(aligned.map((i) => (i < 0 ? null : (outputs[i] ?? {}))), aligned.map((i) => frames[i] ?? null));
        } else for (const [i, frame] of frames.entries()) await options.onPrediction(outputs[i] ?? {}, frame);
        this.#processed += frames.length;
        this.#finishedAt.push(performance.now());
        if (this.#finishedAt.length > FPS_WINDOW) this.#finishedAt.shift();
      }
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    } finally {
      await Promise.all(this.#sources.map((source) => source.close()));
    }
  }

  /** The frame's image, made now or when its input was prepared ahead (the models know their inputs by the image object). */
  #imageOf(frame: VideoFrame, pointer: string, metadata: VideoMetadata): WorkflowImage {
    const made = this.#madeAhead.get(frame);
    return made?.pointer === pointer ? made.image : frameImage(frame, pointer, metadata);
  }

  /**
   * Starts preparing the models' inputs for the frames the next tick will take: a file's next
   * frame once decoded (it comes anyway, and the model is what the pipeline waits for), a live
   * source's only if already there (waiting would add a frame of latency). A frame a live source
   * drops before it is taken, or one whose place in the batch changes (a source ended), wastes
   * its preparation; nothing else changes.
   */
  async #prepareNext(modelIds: readonly string[], pointerOf: (i: number) => string): Promise<void> {
    const going = this.#sources.filter((source) => !this.#ended.has(source));
    const next = await Promise.all(going.map((source) => (source.live ? source.peek() : source.waitQueued())));
    for (const [i, frame] of next.entries()) {
      if (!frame || this.#madeAhead.has(frame)) continue;
      const pointer = pointerOf(i);
      const image = frameImage(frame, pointer);
      this.#madeAhead.set(frame, { pointer, image });
      for (const modelId of modelIds) this.#models!.prepareAhead(modelId, image);
    }
  }

  async #whilePaused(): Promise<void> {
    while (this.#state === "paused") await new Promise<void>((resolve) => (this.#resume = resolve));
  }

  #wakeFromPause(): void {
    const resume = this.#resume;
    this.#resume = undefined;
    resume?.();
  }
}
