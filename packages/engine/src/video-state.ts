/**
 * What stateful blocks (trackers, counters, zones, buffers) keep between the frames of one video:
 * Roboflow keeps it per step and per `video_identifier`. A video pipeline gives every frame's run
 * the same store; a run given none gets a fresh one (a single image is a video of one frame).
 * Values are plain data (numbers, strings, arrays, objects) or, where a block keeps what it was
 * given (a buffer, a frame delay), the run's own values — Detections, images. `toJSON` hands them
 * over as they are; whoever carries a store to another process encodes that with @cvflow/runs'
 * step-value codec, which keeps both losslessly (process-video's checkpoint does).
 */
export interface VideoStateStore {
  /** `step`'s state for the video `videoId`: made by `init` the first time, the same object after. */
  get<T>(step: string, videoId: string, init: () => T): T;
}

export class MemoryVideoState implements VideoStateStore {
  readonly #states = new Map<string, Map<string, unknown>>();

  get<T>(step: string, videoId: string, init: () => T): T {
    let videos = this.#states.get(step);
    if (!videos) this.#states.set(step, (videos = new Map()));
    if (!videos.has(videoId)) videos.set(videoId, init());
    return videos.get(videoId) as T;
  }

  /** Every step's state per video (plain data, and the run's values some states hold). */
  toJSON(): Record<string, Record<string, unknown>> {
    return Object.fromEntries([...this.#states].map(([step, videos]) => [step, Object.fromEntries(videos)]));
  }

  static fromJSON(data: Record<string, Record<string, unknown>>): MemoryVideoState {
    const store = new MemoryVideoState();
    for (const [step, videos] of Object.entries(data)) store.#states.set(step, new Map(Object.entries(videos)));
    return store;
  }
}
