/**
 * cache_set / cache_get: a value set on one frame of a video is read on the next (one video state
 * store across the frames, as a video pipeline gives), namespaces per video, false for a missing
 * key, a fresh run sees nothing of another run, and the namespace forgets its least recently used
 * key past CACHE_CAPACITY. Frames are the shared photos.
 */
import { describe, expect, it } from "vitest";
import { BlockRegistry, MemoryVideoState, WorkflowEngine, type Block, type BlockContext } from "@cvflow/engine";
import { WorkflowImage } from "@cvflow/vision";
import { missing } from "@cvflow/vision/test-assets";
import { cacheGetBlock } from "../src/cache/cache_get.js";
import { cacheSetBlock } from "../src/cache/cache_set.js";
import { CACHE_CAPACITY, cacheGet, cacheSet } from "../src/cache/workflow-cache.js";
import { photo } from "./image-fixtures.js";

const engine = new WorkflowEngine({ registry: new BlockRegistry([cacheGetBlock, cacheSetBlock] as Block[]) });

const INPUTS = [
  { type: "WorkflowImage", name: "image" },
  { type: "WorkflowParameter", name: "value" },
];
/** Two workflows, so that reading comes before writing on each frame (within one run the two steps have no order). */
const getDefinition = {
  version: "1.0",
  inputs: INPUTS,
  steps: [{ type: "roboflow_core/cache_get@v1", name: "previous", image: "$inputs.image", key: "last" }],
  outputs: [{ type: "JsonField", name: "previous", selector: "$steps.previous.output" }],
};
const setDefinition = {
  version: "1.0",
  inputs: INPUTS,
  steps: [{ type: "roboflow_core/cache_set@v1", name: "store", image: "$inputs.image", key: "last", value: "$inputs.value" }],
  outputs: [{ type: "JsonField", name: "stored", selector: "$steps.store.output" }],
};

function frame(image: WorkflowImage, video: string, n: number): WorkflowImage {
  return new WorkflowImage(image.pixels, { ...image.lineage, videoMetadata: { video_identifier: video, frame_number: n, frame_timestamp: new Date(n * 100).toISOString(), fps: 10, measured_fps: null, comes_from_video_file: true } });
}

describe.skipIf(missing("cache blocks on photo frames", { photos: ["dog.jpg", "person.jpg"] }))("cache blocks", () => {
  it("a value set on a frame is read on the video's next frame, per video; a new run starts empty", async () => {
    const [dog, person] = [await photo("dog.jpg"), await photo("person.jpg")];
    const videoState = new MemoryVideoState();
    const options = { services: { videoState }, serialize: false };
    const step = async (image: WorkflowImage, value: unknown) => ({
      ...(await engine.run(getDefinition, { image, value }, options)).outputs[0],
      ...(await engine.run(setDefinition, { image, value }, options)).outputs[0],
    });
    expect(await step(frame(dog, "a", 0), "dog-0")).toEqual({ previous: false, stored: "dog-0" });
    expect(await step(frame(dog, "a", 1), { n: 1 })).toEqual({ previous: "dog-0", stored: { n: 1 } });
    // Another video has its own namespace.
    expect(await step(frame(person, "b", 0), "person-0")).toEqual({ previous: false, stored: "person-0" });
    expect(await step(frame(dog, "a", 2), "dog-2")).toEqual({ previous: { n: 1 }, stored: "dog-2" });
    // A run given no store has a fresh one: nothing of the runs above.
    expect((await engine.run(getDefinition, { image: frame(dog, "a", 3), value: "x" }, { serialize: false })).outputs[0]).toEqual({ previous: false });
  });
});

describe("workflow cache", () => {
  it("keeps at most CACHE_CAPACITY keys, forgetting the least recently used", () => {
    const ctx = { step: "s", index: [], signal: new AbortController().signal, services: { videoState: new MemoryVideoState() } } as BlockContext;
    for (let i = 0; i < CACHE_CAPACITY; i++) cacheSet(ctx, "v", `k${i}`, i);
    expect(cacheGet(ctx, "v", "k0")).toBe(0); // k0 is now the most recently used
    cacheSet(ctx, "v", "new", "n");
    expect(cacheGet(ctx, "v", "k1")).toBe(false);
    expect(cacheGet(ctx, "v", "k0")).toBe(0);
    expect(cacheGet(ctx, "v", "new")).toBe("n");
    expect(cacheGet(ctx, "w", "k0")).toBe(false);
  });
});
