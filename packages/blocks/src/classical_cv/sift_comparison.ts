/**
 * SIFT Comparison: whether two images match, by the number of descriptor matches passing Lowe's
 * ratio test (sift-matching.ts). v1 takes descriptors; v2 takes images (SIFT computed here, with
 * keypoints, descriptors and optional drawings out) or descriptors, and names the matcher.
 * Both matchers are exact here (see sift-matching.ts); they differ in how the matches are drawn.
 * Fewer than 2 descriptors on either side: 0 matches, no match (Roboflow's rule).
 */
import { defineBlock } from "@cvflow/engine";
import { WorkflowImage } from "@cvflow/vision";
import { drawMatches } from "./sift-drawing.js";
import { SIFT_DESCRIPTOR_SIZE, type SiftKeypoint } from "./sift-features.js";
import { descriptorRows, ratioTestMatches, type DescriptorRows } from "./sift-matching.js";
import { keypointsDrawn, siftOf, type KeypointRecord } from "./sift.js";

const MATCHERS = ["FlannBasedMatcher", "BFMatcher"] as const;

const GOOD_MATCHES_THRESHOLD = {
  description: "The least number of good matches for the images to match.",
  kinds: ["integer"],
  schema: { type: "integer", minimum: 1 },
  default: 50,
} as const;

const RATIO_DESCRIPTION = "Lowe's ratio: a match counts when its distance is below this times the second-best's.";

interface V1Params {
  [key: string]: unknown;
  descriptor_1: unknown;
  descriptor_2: unknown;
  good_matches_threshold: number;
  ratio_threshold: number;
}

export const siftComparisonV1Block = defineBlock<V1Params>({
  manifest: {
    type: "roboflow_core/sift_comparison@v1",
    name: "SIFT Comparison",
    description:
      "Compare SIFT descriptors from multiple images: the good matches (Lowe's ratio test) and whether there are enough. Matching is exact, rows1 x rows2 x 128 operations: the ~50,000 descriptors of each of two 12 MP photos take minutes, over the 20 s deadline.",
    family: "classical_cv",
    fields: {
      descriptor_1: { description: "SIFT descriptors of the first image (rows of 128 numbers).", kinds: ["numpy_array"], required: true },
      descriptor_2: { description: "SIFT descriptors of the second image.", kinds: ["numpy_array"], required: true },
      good_matches_threshold: GOOD_MATCHES_THRESHOLD,
      // Roboflow declares the integer kind for a selector here (a float in v2); either number is taken.
      ratio_threshold: { description: RATIO_DESCRIPTION, kinds: ["integer", "float"], schema: { type: "number" }, default: 0.7 },
    },
    outputs: [
      { name: "good_matches_count", kinds: ["integer"] },
      { name: "images_match", kinds: ["boolean"] },
    ],
  },
  run({ descriptor_1, descriptor_2, good_matches_threshold, ratio_threshold }) {
    const count = goodMatches(descriptorRows(descriptor_1, "descriptor_1"), descriptorRows(descriptor_2, "descriptor_2"), ratio_threshold)?.length ?? 0;
    return { good_matches_count: count, images_match: count >= good_matches_threshold };
  },
});

function goodMatches(a: DescriptorRows | null, b: DescriptorRows | null, ratio: number) {
  if (!a || !b || a.rows < 2 || b.rows < 2) return null;
  return ratioTestMatches(a, b, ratio);
}

interface V2Params {
  [key: string]: unknown;
  input_1: unknown;
  input_2: unknown;
  good_matches_threshold: number;
  ratio_threshold: number;
  matcher: (typeof MATCHERS)[number];
  visualize: boolean;
}

interface Side {
  image: WorkflowImage | null;
  features: SiftKeypoint[] | null;
  keypoints: KeypointRecord[] | null;
  descriptors: unknown;
  rows: DescriptorRows | null;
}

async function side(input: unknown, field: string): Promise<Side> {
  if (input instanceof WorkflowImage) {
    const { features, keypoints, descriptors } = await siftOf(input);
    const rows = { rows: features.keypoints.length, width: SIFT_DESCRIPTOR_SIZE, data: features.descriptors };
    return { image: input, features: features.keypoints, keypoints, descriptors, rows };
  }
  return { image: null, features: null, keypoints: null, descriptors: input ?? null, rows: descriptorRows(input, field) };
}

export const siftComparisonV2Block = defineBlock<V2Params>({
  manifest: {
    type: "roboflow_core/sift_comparison@v2",
    name: "SIFT Comparison",
    description:
      "Compare SIFT descriptors from multiple images — or the images themselves (SIFT computed here, as the SIFT block does: over the 20 s deadline for a 12 MP photo, downscale it first): the good matches (Lowe's ratio test), whether there are enough, and optionally drawings of the keypoints and matches. Matching is exact, rows1 x rows2 x 128 operations: two 12 MP photos' ~50,000 keypoints each take minutes.",
    family: "classical_cv",
    fields: {
      input_1: { description: "The first image, or its SIFT descriptors.", kinds: ["image", "numpy_array"], required: true },
      input_2: { description: "The second image, or its SIFT descriptors.", kinds: ["image", "numpy_array"], required: true },
      good_matches_threshold: GOOD_MATCHES_THRESHOLD,
      ratio_threshold: { description: RATIO_DESCRIPTION, kinds: ["float_zero_to_one"], schema: { type: "number" }, default: 0.7 },
      matcher: {
        description: "FlannBasedMatcher or BFMatcher. Both search exactly here; the drawing differs (FLANN: every keypoint red, matches green; BF: matches only, each its own colour).",
        kinds: ["string"],
        schema: { enum: MATCHERS },
        default: "FlannBasedMatcher",
      },
      visualize: { description: "Draw the keypoints of each image given as an image, and the matches when both are images.", kinds: ["boolean"], schema: { type: "boolean" }, default: false },
    },
    outputs: [
      { name: "images_match", kinds: ["boolean"] },
      { name: "good_matches_count", kinds: ["integer"] },
      { name: "keypoints_1", kinds: ["image_keypoints"] },
      { name: "descriptors_1", kinds: ["numpy_array"] },
      { name: "keypoints_2", kinds: ["image_keypoints"] },
      { name: "descriptors_2", kinds: ["numpy_array"] },
      { name: "visualization_1", kinds: ["image"] },
      { name: "visualization_2", kinds: ["image"] },
      { name: "visualization_matches", kinds: ["image"] },
    ],
  },
  async run({ input_1, input_2, good_matches_threshold, ratio_threshold, matcher, visualize }) {
    const first = await side(input_1, "input_1");
    const second = await side(input_2, "input_2");
    const drawn = async (s: Side) => (visualize && s.image && s.features ? keypointsDrawn(s.image, s.features) : null);
    const matches = goodMatches(first.rows, second.rows, ratio_threshold);
    let visualizationMatches: WorkflowImage | null = null;
    if (matches && visualize && first.image && second.image) {
      const style = matcher === "BFMatcher" ? "random_colour_matches" : "single_points_and_green_matches";
      visualizationMatches = first.image.withPixels(await drawMatches(first.image.pixels, first.features!, second.image.pixels, second.features!, matches, style));
    }
    const count = matches?.length ?? 0;
    return {
      images_match: count >= good_matches_threshold,
      good_matches_count: count,
      keypoints_1: first.keypoints,
      descriptors_1: first.descriptors,
      keypoints_2: second.keypoints,
      descriptors_2: second.descriptors,
      visualization_1: await drawn(first),
      visualization_2: await drawn(second),
      visualization_matches: visualizationMatches,
    };
  },
});
