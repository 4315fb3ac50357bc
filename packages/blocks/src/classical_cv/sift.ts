/**
 * SIFT: an image's SIFT keypoints and descriptors (sift-features.ts: OpenCV's SIFT with its
 * defaults), and the image in gray with every keypoint circled (sift-drawing.ts), as Roboflow's
 * block gives them: keypoints as OpenCV's KeyPoint fields, descriptors as rows of 128 numbers (none
 * when there are no keypoints, as OpenCV's None).
 */
import { defineBlock } from "@cvflow/engine";
import type { WorkflowImage } from "@cvflow/vision";
import { toGray } from "./grayscale.js";
import { drawKeypointsOnGray } from "./sift-drawing.js";
import { detectSift, SIFT_DESCRIPTOR_SIZE, type SiftKeypoint } from "./sift-features.js";
import { descriptorLists } from "./sift-matching.js";

interface SiftParams {
  [key: string]: unknown;
  image: WorkflowImage;
}

/** A keypoint as Roboflow's blocks output it (OpenCV's KeyPoint fields; class_id is always -1). */
export interface KeypointRecord {
  pt: [number, number];
  size: number;
  angle: number;
  response: number;
  octave: number;
  class_id: number;
}

export function keypointRecords(keypoints: readonly SiftKeypoint[]): KeypointRecord[] {
  return keypoints.map(({ x, y, size, angle, response, octave }) => ({ pt: [x, y], size, angle, response, octave, class_id: -1 }));
}

/** SIFT of an image: its keypoints, its descriptors (null when none, as OpenCV's), the raw features. */
export async function siftOf(image: WorkflowImage) {
  const features = await detectSift(image.pixels);
  return {
    features,
    keypoints: keypointRecords(features.keypoints),
    descriptors: features.keypoints.length > 0 ? descriptorLists(features.descriptors, SIFT_DESCRIPTOR_SIZE) : null,
  };
}

/** The image in gray, three channels, with its keypoints circled. */
export async function keypointsDrawn(image: WorkflowImage, keypoints: readonly SiftKeypoint[]): Promise<WorkflowImage> {
  return image.withPixels(await drawKeypointsOnGray(toGray(image.pixels), keypoints));
}

export const siftBlock = defineBlock<SiftParams>({
  manifest: {
    type: "roboflow_core/sift@v1",
    name: "SIFT",
    description:
      "Apply SIFT to an image: keypoints (OpenCV's KeyPoint fields) and 128-value descriptors as OpenCV's SIFT with its defaults finds them, and the image in gray with the keypoints circled. " +
      "Time and memory grow with the pixels: about 0.3 s for 640x427 on one core; a 12 MP photo takes about 22 s of CPU and 2.5 GB (peak) — more than the 20 s deadline: downscale it first.",
    family: "classical_cv",
    fields: {
      image: { description: "The image to find SIFT features in (used in gray).", kinds: ["image"], aliases: ["images"], required: true },
    },
    outputs: [
      { name: "image", kinds: ["image"] },
      { name: "keypoints", kinds: ["image_keypoints"] },
      { name: "descriptors", kinds: ["numpy_array"] },
    ],
  },
  async run({ image }) {
    const { features, keypoints, descriptors } = await siftOf(image);
    return { image: await keypointsDrawn(image, features.keypoints), keypoints, descriptors };
  },
});
