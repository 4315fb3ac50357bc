import { engineBench } from "./engine.js";
import type { Bench } from "./measure.js";

export const benches: Record<string, Bench> = {
  engine: engineBench,
  // Imported when run: it loads onnxruntime-node and sharp, which the other benchmarks do not need.
  vision: async function* () {
    yield* (await import("./vision.js")).visionBench();
  },
  service: async function* () {
    yield* (await import("./service.js")).serviceBench();
  },
  batch: async function* () {
    yield* (await import("./batch.js")).batchBench();
  },
  memory: async function* () {
    yield* (await import("./memory.js")).memoryBench();
  },
  runs: async function* () {
    yield* (await import("./runs.js")).runsBench();
  },
  deploy: async function* () {
    yield* (await import("./deploy.js")).deployBench();
  },
  ui: async function* () {
    yield* (await import("./ui.js")).uiBench();
  },
  video: async function* () {
    yield* (await import("./video.js")).videoBench();
  },
};
