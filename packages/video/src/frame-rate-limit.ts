/**
 * `maxFps` as one pure rule, so that every phase that decodes a video takes the same frames: a
 * frame at `seconds` is taken when no frame was taken yet or at least 1/maxFps seconds have
 * passed since the last one taken (an upper bound on the rate, as Roboflow's frame-rate limiter).
 * A file's frame `index` sits at index / fps seconds; VideoSource applies the rule as it decodes,
 * a video job's prepare step lists the taken frames with it and a segment that starts mid-file
 * primes its limiter with it (lastTakenBefore) instead of decoding what comes before.
 */

/** Tolerance on frame times, so that 1/maxFps apart in exact arithmetic is not missed by rounding. */
const TIME_EPSILON = 1e-6;

export function takesFrame(seconds: number, lastTaken: number | undefined, maxFps: number | undefined): boolean {
  return !maxFps || lastTaken === undefined || seconds - lastTaken >= 1 / maxFps - TIME_EPSILON;
}

/** The 0-based indexes of the frames a file of `frameCount` frames at `fps` gives under `maxFps`. */
export function takenFileFrames(frameCount: number, fps: number, maxFps: number | undefined): number[] {
  const taken: number[] = [];
  let last: number | undefined;
  for (let index = 0; index < frameCount; index++) {
    const seconds = index / fps;
    if (!takesFrame(seconds, last, maxFps)) continue;
    taken.push(index);
    last = seconds;
  }
  return taken;
}

/** The time of the last frame taken before frame `index` of a file at `fps` (undefined: none). */
export function lastTakenBefore(index: number, fps: number, maxFps: number | undefined): number | undefined {
  const taken = takenFileFrames(index, fps, maxFps);
  const last = taken.at(-1);
  return last === undefined ? undefined : last / fps;
}
