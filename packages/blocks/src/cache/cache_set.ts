/** Cache Set: stores `value` under `key` for this image's video (workflow-cache.ts: scope and lifetime) and passes it on. */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { videoOf } from "../video/step-state.js";
import { cacheSet } from "./workflow-cache.js";

interface CacheSetParams {
  [key: string]: unknown;
  image: WorkflowImage;
  key: string;
  value: unknown;
}

export const cacheSetBlock = defineBlock<CacheSetParams>({
  manifest: {
    type: "roboflow_core/cache_set@v1",
    name: "Cache Set",
    description: "Stores a value in a cache entry for later retrieval. The cache lives as long as the run, or the video for a stream of frames.",
    family: "fusion",
    stateful: true,
    fields: {
      image: { description: "Its video (video_identifier) names the cache namespace; a photo is a video of its own.", kinds: ["image"], required: true, deferLoad: true },
      key: { description: "The key to store the value under (case-sensitive); a value already there is replaced.", kinds: ["string"], schema: { type: "string" }, required: true },
      value: { description: "Any value: it is stored and is also the step's output.", kinds: ["*", "list_of_values"], required: true },
    },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run({ image, key, value }, ctx) {
    cacheSet(ctx, videoOf(image), key, value);
    return { output: value };
  },
});
