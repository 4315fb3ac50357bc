/** Cache Get: the value Cache Set stored under `key` for this image's video (workflow-cache.ts: scope and lifetime), or false. */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { videoOf } from "../video/step-state.js";
import { cacheGet } from "./workflow-cache.js";

interface CacheGetParams {
  [key: string]: unknown;
  image: WorkflowImage;
  key: string;
}

export const cacheGetBlock = defineBlock<CacheGetParams>({
  manifest: {
    type: "roboflow_core/cache_get@v1",
    name: "Cache Get",
    description: "Fetches a previously stored value from a cache entry. The cache lives as long as the run, or the video for a stream of frames.",
    family: "fusion",
    stateful: true,
    fields: {
      image: { description: "Its video (video_identifier) names the cache namespace; a photo is a video of its own.", kinds: ["image"], required: true, deferLoad: true },
      key: { description: "The key the value was stored under (case-sensitive).", kinds: ["string"], schema: { type: "string" }, required: true },
    },
    outputs: [{ name: "output", kinds: ["*"] }],
  },
  run({ image, key }, ctx) {
    return { output: cacheGet(ctx, videoOf(image), key) };
  },
});
