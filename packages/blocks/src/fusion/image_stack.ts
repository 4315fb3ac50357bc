/**
 * Image Stack: the last `stack_size` frames of a video, newest first, each shrunk (OpenCV's
 * INTER_AREA, aspect kept, to fit resolution_width x resolution_height) and kept JPEG-compressed
 * at quality 75, as Roboflow's keeps them. Roboflow outputs the JPEG bytes; here each frame is an
 * image holding exactly those bytes (decoded only if a later step reads its pixels), so that it
 * reaches other steps as an image and the wire as {"type": "base64"} of the JPEG — raw bytes have
 * no JSON form. One stack per step and video (a photo is a video of its own). Changing stack_size
 * mid-video keeps, as Python's deque(old, maxlen=n) does, the n oldest frames before adding.
 */
import { defineBlock } from "@cvflow/engine";
import { openImage, type WorkflowImage } from "@cvflow/vision";
import { resizeArea } from "../classical_cv/resize-area.js";
import { stepState, videoOf } from "../video/step-state.js";

const MAX_STACK_SIZE = 64;
const MAX_WIDTH = 1920;
const MAX_HEIGHT = 1080;
const JPEG_QUALITY = 75;

interface ImageStackParams {
  [key: string]: unknown;
  image: WorkflowImage;
  stack_size: number;
  resolution_width: number;
  resolution_height: number;
  clear: boolean;
}

const clamp = (x: number, low: number, high: number): number => Math.max(low, Math.min(x, high));

/** The frame shrunk to fit maxWidth x maxHeight (never enlarged), as JPEG bytes at quality 75. */
async function compressFrame(image: WorkflowImage, maxWidth: number, maxHeight: number): Promise<WorkflowImage> {
  const { width, height } = image;
  let frame = image;
  if (width > maxWidth || height > maxHeight) {
    const scale = Math.min(maxWidth / width, maxHeight / height);
    frame = image.withPixels(resizeArea(image.pixels, Math.trunc(width * scale), Math.trunc(height * scale)));
  }
  const jpeg = await frame.encode("jpeg", JPEG_QUALITY);
  return openImage(jpeg, image.lineage);
}

export const imageStackBlock = defineBlock<ImageStackParams>({
  manifest: {
    type: "roboflow_core/image_stack@v1",
    name: "Image Stack",
    description: "Accumulate compressed video frames into a fixed-size FIFO stack (newest first; each frame a JPEG at quality 75).",
    family: "fusion",
    stateful: true,
    fields: {
      image: { description: "The video frame to add to the stack.", kinds: ["image"], required: true },
      stack_size: { description: `How many frames the stack keeps (1-${MAX_STACK_SIZE}); the oldest goes first.`, kinds: ["integer"], schema: { type: "integer", minimum: 1, maximum: MAX_STACK_SIZE }, default: 10 },
      resolution_width: { description: `Largest frame width kept (64-${MAX_WIDTH}); wider frames are shrunk, aspect kept.`, kinds: ["integer"], schema: { type: "integer", minimum: 64, maximum: MAX_WIDTH }, default: MAX_WIDTH },
      resolution_height: { description: `Largest frame height kept (64-${MAX_HEIGHT}); taller frames are shrunk, aspect kept.`, kinds: ["integer"], schema: { type: "integer", minimum: 64, maximum: MAX_HEIGHT }, default: MAX_HEIGHT },
      clear: { description: "Empty the stack before adding this frame.", kinds: ["boolean"], schema: { type: "boolean" }, default: false },
    },
    outputs: [
      { name: "frames", kinds: ["list_of_values"] },
      { name: "frames_count", kinds: ["integer"] },
    ],
  },
  async run({ image, stack_size, resolution_width, resolution_height, clear }, ctx) {
    const size = clamp(stack_size, 1, MAX_STACK_SIZE);
    const state = stepState(ctx, videoOf(image), () => ({ frames: [] as WorkflowImage[] }));
    // deque(old, maxlen=size) fills from the newest end and drops from it: the oldest `size` stay.
    if (state.frames.length > size) state.frames = state.frames.slice(state.frames.length - size);
    if (clear) state.frames = [];
    const frame = await compressFrame(image, clamp(resolution_width, 64, MAX_WIDTH), clamp(resolution_height, 64, MAX_HEIGHT));
    state.frames = [frame, ...state.frames].slice(0, size);
    return { frames: [...state.frames], frames_count: state.frames.length };
  },
});
