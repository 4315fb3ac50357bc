/**
 * Each track's velocity (pixels per frame), as Roboflow's Detections Stabilizer estimates it: a
 * Kalman filter per track whose state is the velocity itself (a constant-velocity model: the
 * prediction leaves it unchanged), measured by the mean of the track's last few measured
 * velocities. Its covariance stays a multiple of the identity (it starts at 1 and every step
 * scales it or adds a multiple of the identity), so one number, `variance`, holds it. A frame
 * without a track's measurement drops the newest entry of its history instead of adding one; the
 * track is forgotten when its history runs out.
 */
export type Vector = [number, number];

export interface TrackVelocity {
  trackerId: number;
  velocity: Vector;
  variance: number;
  /** Measured velocities, newest first, at most `window` of them. */
  history: Vector[];
}

export interface TrackVelocities {
  /** History length (at least 1); null: unbounded (Roboflow's deque with maxlen None). */
  window: number | null;
  /** In the order tracks were first measured: the order gap-filled detections come out in. */
  tracks: TrackVelocity[];
}

const PROCESS_NOISE = 0.001;
const MEASUREMENT_NOISE = 0.01;

/**
 * Takes this frame's measured velocities (by tracker id) and returns every known track's predicted
 * velocity, including tracks forgotten by this very update (their last prediction still counts).
 */
export function updateVelocities(state: TrackVelocities, measured: ReadonlyMap<number, Vector>): Map<number, Vector> {
  const byId = new Map(state.tracks.map((t) => [t.trackerId, t]));
  for (const [trackerId, v] of measured) {
    const track = byId.get(trackerId);
    if (!track) {
      const added: TrackVelocity = { trackerId, velocity: [...v], variance: 1, history: [[...v]] };
      state.tracks.push(added);
      byId.set(trackerId, added);
      continue;
    }
    track.history.unshift([...v]);
    if (state.window !== null) track.history.length = Math.min(track.history.length, state.window);
    const mean = meanOf(track.history);
    const gain = track.variance / (track.variance + MEASUREMENT_NOISE);
    track.velocity = [track.velocity[0] + gain * (mean[0] - track.velocity[0]), track.velocity[1] + gain * (mean[1] - track.velocity[1])];
    track.variance -= gain * track.variance;
  }
  const predicted = new Map<number, Vector>();
  for (const track of state.tracks) {
    track.variance += PROCESS_NOISE;
    predicted.set(track.trackerId, [...track.velocity]);
  }
  for (const track of state.tracks) if (!measured.has(track.trackerId)) track.history.shift();
  state.tracks = state.tracks.filter((t) => t.history.length > 0);
  return predicted;
}

function meanOf(vectors: readonly Vector[]): Vector {
  const sum = vectors.reduce<Vector>((s, v) => [s[0] + v[0], s[1] + v[1]], [0, 0]);
  return [sum[0] / vectors.length, sum[1] / vectors.length];
}
