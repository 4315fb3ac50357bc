/**
 * Stitch Images: two overlapping images into one, as Roboflow's block does it — SIFT features of
 * both (classical_cv/sift-features.ts), Lowe's ratio test at 0.75 on the two nearest descriptors,
 * a homography by OpenCV's RANSAC (findHomography) from the image whose keypoints lie further left
 * on average to the other, that image warped (bilinear, black outside) onto a canvas holding both,
 * and the other pasted over it unwarped at the canvas's translation.
 *
 * Roboflow's quirks are kept: the canvas's top-left is the warped corners' minimum truncated toward
 * zero while its translation is never negative, so a warped image lying right of or below the
 * other narrows the canvas and the other is pasted only when it fits. Whatever makes stitching
 * fail (no or too few matches, no homography, k below 2: the ratio test needs a second neighbour)
 * gives no image (null), as Roboflow's exception handler does; a k of 0 is refused.
 */
import { defineBlock } from "@cvflow/engine";
import { checkRunImage, inputLineage, WorkflowImage, type RawPixels } from "@cvflow/vision";
import { invalidField } from "../errors.js";
import { detectSift, SIFT_DESCRIPTOR_SIZE, type SiftFeatures } from "../classical_cv/sift-features.js";
import { ratioTestMatches } from "../classical_cv/sift-matching.js";
import { toPixels, withMats } from "../classical_cv/opencv.js";

const RATIO = 0.75;
const FLT_EPSILON = 1.1920928955078125e-7;

interface StitchImagesParams {
  [key: string]: unknown;
  image1: WorkflowImage;
  image2: WorkflowImage;
  max_allowed_reprojection_error: number;
  count_of_best_matches_per_query_descriptor: number;
}

export const stitchImagesBlock = defineBlock<StitchImagesParams>({
  manifest: {
    type: "roboflow_core/stitch_images@v1",
    name: "Stitch Images",
    description:
      "Stitch two images by common parts (SIFT matches and a RANSAC homography); no image when they cannot be stitched. " +
      "SIFT and matching grow with the pixels (see the SIFT block): two 12 MP photos take far over the 20 s deadline — downscale them first.",
    family: "transformations",
    fields: {
      image1: { description: "The first image; it must overlap the second.", kinds: ["image"], required: true },
      image2: { description: "The second image.", kinds: ["image"], required: true },
      max_allowed_reprojection_error: {
        description: "RANSAC's inlier distance in pixels (findHomography's ransacReprojThreshold); raise it for images with little detail.",
        kinds: ["float_zero_to_one", "float"],
        schema: { type: "number" },
        default: 3,
      },
      count_of_best_matches_per_query_descriptor: {
        description: "k of the k-nearest-neighbour matching (at least 2 for the ratio test to keep anything); must not be 0.",
        kinds: ["integer"],
        schema: { type: "integer" },
        default: 2,
      },
    },
    outputs: [{ name: "stitched_image", kinds: ["image"] }],
  },
  async run({ image1, image2, max_allowed_reprojection_error, count_of_best_matches_per_query_descriptor }) {
    if (count_of_best_matches_per_query_descriptor === 0) throw invalidField("count_of_best_matches_per_query_descriptor must be greater than 0");
    if (Math.abs(Math.round(count_of_best_matches_per_query_descriptor)) < 2) return { stitched_image: null };
    const stitched = await stitchImages(image1.pixels, image2.pixels, Math.abs(max_allowed_reprojection_error));
    if (!stitched) return { stitched_image: null };
    return { stitched_image: new WorkflowImage(stitched, inputLineage(`${image1.lineage.parentId} + ${image2.lineage.parentId}`)) };
  },
});

/** The two images stitched, or null when they cannot be. */
export async function stitchImages(image1: RawPixels, image2: RawPixels, reprojectionError: number): Promise<RawPixels | null> {
  const features1 = await detectSift(image1);
  const features2 = await detectSift(image2);
  if (features1.keypoints.length === 0 || features2.keypoints.length < 2) return null;
  const matches = ratioTestMatches(rows(features1), rows(features2), RATIO);
  if (matches.length < 4) return null;
  const meanX = (f: SiftFeatures) => f.keypoints.reduce((sum, k) => sum + k.x, 0) / f.keypoints.length;
  // The homography goes from the image whose keypoints lie further left to the other one.
  const leftFirst = meanX(features1) < meanX(features2);
  const points1 = matches.flatMap((m) => [features1.keypoints[m.queryIdx]!.x, features1.keypoints[m.queryIdx]!.y]);
  const points2 = matches.flatMap((m) => [features2.keypoints[m.trainIdx]!.x, features2.keypoints[m.trainIdx]!.y]);
  const [warped, fixed, from, to] = leftFirst ? [image1, image2, points1, points2] : [image2, image1, points2, points1];

  return withMats((cv, scope) => {
    const srcPoints = scope.track(cv.matFromArray(from.length / 2, 1, cv.CV_32FC2, from));
    const dstPoints = scope.track(cv.matFromArray(to.length / 2, 1, cv.CV_32FC2, to));
    const mask = scope.mat();
    const homography = scope.track(cv.findHomography(srcPoints, dstPoints, cv.RANSAC, reprojectionError, mask));
    if (homography.empty()) return null;
    const h = Array.from(homography.data64F);
    const corners = [
      [0, 0],
      [0, warped.height],
      [warped.width, warped.height],
      [warped.width, 0],
    ].map(([x, y]) => project(h, x!, y!));
    // np.int32 of the float32 extremes: truncated toward zero.
    const xMin = Math.trunc(Math.min(...corners.map(([x]) => x!)));
    const yMin = Math.trunc(Math.min(...corners.map(([, y]) => y!)));
    const xMax = Math.max(Math.trunc(Math.max(...corners.map(([x]) => x!))), fixed.width);
    const yMax = Math.max(Math.trunc(Math.max(...corners.map(([, y]) => y!))), fixed.height);
    const [tx, ty] = [Math.max(0, -xMin), Math.max(0, -yMin)];
    const width = xMax - xMin;
    const height = yMax - yMin;
    if (!(width > 0 && height > 0)) return null;
    checkRunImage(width, height, `a stitched image of ${width}x${height}`);
    const moved = [h[0]! + tx * h[6]!, h[1]! + tx * h[7]!, h[2]! + tx * h[8]!, h[3]! + ty * h[6]!, h[4]! + ty * h[7]!, h[5]! + ty * h[8]!, h[6]!, h[7]!, h[8]!];
    const canvas = scope.mat();
    cv.warpPerspective(scope.fromPixels(asRgb(warped)), canvas, scope.track(cv.matFromArray(3, 3, cv.CV_64F, moved)), new cv.Size(width, height), cv.INTER_LINEAR, cv.BORDER_CONSTANT, new cv.Scalar());
    if (tx + fixed.width <= width && ty + fixed.height <= height) {
      const region = scope.track(canvas.roi(new cv.Rect(tx, ty, fixed.width, fixed.height)));
      scope.fromPixels(asRgb(fixed)).copyTo(region);
    }
    return toPixels(canvas);
  });
}

function rows(features: SiftFeatures) {
  return { rows: features.keypoints.length, width: SIFT_DESCRIPTOR_SIZE, data: features.descriptors };
}

/** A point through the homography, as OpenCV's perspectiveTransform of float32 points gives it. */
function project(h: number[], x: number, y: number): [number, number] {
  const w = h[6]! * x + h[7]! * y + h[8]!;
  if (Math.abs(w) <= FLT_EPSILON) return [0, 0];
  return [Math.fround((h[0]! * x + h[1]! * y + h[2]!) / w), Math.fround((h[3]! * x + h[4]! * y + h[5]!) / w)];
}

/** Stitching draws in colour: a one-channel image is taken as three equal channels. */
function asRgb(pixels: RawPixels): RawPixels {
  if (pixels.channels === 3) return pixels;
  const data = new Uint8Array(pixels.width * pixels.height * 3);
  pixels.data.forEach((v, i) => data.fill(v, i * 3, i * 3 + 3));
  return { ...pixels, data, channels: 3 };
}
