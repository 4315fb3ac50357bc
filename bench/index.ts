import { engineBench } from "./engine.js";
import type { Bench } from "./measure.js";

export const benches: Record<string, Bench> = {
  engine: engineBench,
};
