/**
 * Keypoints and matches drawn as OpenCV's drawKeypoints and drawMatchesKnn draw them (default
 * flags): each keypoint a circle of radius 3 px around its centre (anti-aliased, 1 px, at 1/16 px
 * precision), each match a line from the keypoint in the left image to its match in the right.
 *
 * Colours: OpenCV picks a random colour per keypoint (per match) from its thread's generator, whose
 * state carries over from call to call, so Roboflow's colours differ from run to run. Here each
 * drawing starts that generator afresh from OpenCV's default seed: the same colours as a fresh
 * OpenCV thread's first drawing, and the same image for the same input every time.
 */
import type { RawPixels } from "@cvflow/vision";
import type { SiftKeypoint } from "./sift-features.js";
import type { DescriptorMatch } from "./sift-matching.js";
import { cvRound } from "./sift-features.js";
import { toPixels, withMats, type CV, type Mat } from "./opencv.js";

const SHIFT_BITS = 4;
const MULTIPLIER = 1 << SHIFT_BITS;
type Rgb = readonly [number, number, number];

/** OpenCV's cv::RNG (multiply-with-carry) from its default state. */
class OpenCvRng {
  private state = 0xffffffffn;

  /** rng(n): the next value modulo n. */
  below(n: number): number {
    this.state = (this.state & 0xffffffffn) * 4164903690n + (this.state >> 32n);
    return Number(this.state & 0xffffffffn) % n;
  }

  /**
   * OpenCV's Scalar(rng(256), rng(256), rng(256)), a BGR colour, as RGB. The arguments are drawn
   * last first (GCC, which builds OpenCV's Linux wheels, evaluates them right to left): red first.
   */
  colour(): Rgb {
    const r = this.below(256);
    const g = this.below(256);
    const b = this.below(256);
    return [r, g, b];
  }
}

/** `gray` (one channel) as three, with every keypoint circled in a colour of its own (Roboflow's cv2.drawKeypoints(gray, keypoints, ...)). */
export async function drawKeypointsOnGray(gray: RawPixels, keypoints: readonly SiftKeypoint[]): Promise<RawPixels> {
  return withMats((cv, scope) => {
    const canvas = scope.mat();
    cv.cvtColor(scope.fromPixels(gray), canvas, cv.COLOR_GRAY2RGB);
    const rng = new OpenCvRng();
    for (const keypoint of keypoints) circle(cv, canvas, keypoint, rng.colour());
    return toPixels(canvas);
  });
}

/** How drawMatchesKnn was called: FLANN's call draws every keypoint red and matches green; BFMatcher's, matches only, each its own colour. */
export type MatchStyle = "single_points_and_green_matches" | "random_colour_matches";

/** The two images side by side (the taller's height, black below the shorter) with the matches drawn as drawMatchesKnn does. */
export async function drawMatches(
  left: RawPixels,
  leftKeypoints: readonly SiftKeypoint[],
  right: RawPixels,
  rightKeypoints: readonly SiftKeypoint[],
  matches: readonly DescriptorMatch[],
  style: MatchStyle,
): Promise<RawPixels> {
  return withMats((cv, scope) => {
    const width = left.width + right.width;
    const canvas = scope.track(new cv.Mat(Math.max(left.height, right.height), width, cv.CV_8UC3, new cv.Scalar(0, 0, 0, 0)));
    // Each image's keypoints are drawn on its own region (a circle at its edge is cut there), the lines on the whole.
    const leftRegion = scope.track(canvas.roi(new cv.Rect(0, 0, left.width, left.height)));
    const rightRegion = scope.track(canvas.roi(new cv.Rect(left.width, 0, right.width, right.height)));
    paste(cv, scope.fromPixels(left), leftRegion);
    paste(cv, scope.fromPixels(right), rightRegion);
    if (style === "single_points_and_green_matches") {
      const red: Rgb = [255, 0, 0];
      for (const keypoint of leftKeypoints) circle(cv, leftRegion, keypoint, red);
      for (const keypoint of rightKeypoints) circle(cv, rightRegion, keypoint, red);
    }
    const rng = new OpenCvRng();
    for (const match of matches) {
      const colour: Rgb = style === "single_points_and_green_matches" ? [0, 255, 0] : rng.colour();
      const a = leftKeypoints[match.queryIdx]!;
      const b = rightKeypoints[match.trainIdx]!;
      circle(cv, leftRegion, a, colour);
      circle(cv, rightRegion, b, colour);
      // The line's end is clamped to the canvas, as OpenCV does.
      const endX = Math.min(b.x + left.width, width - 1);
      cv.line(canvas, new cv.Point(cvRound(a.x * MULTIPLIER), cvRound(a.y * MULTIPLIER)), new cv.Point(cvRound(endX * MULTIPLIER), cvRound(b.y * MULTIPLIER)), scalar(cv, colour), 1, cv.LINE_AA, SHIFT_BITS);
    }
    return toPixels(canvas);
  });
}

function paste(cv: CV, image: Mat, region: Mat): void {
  if (image.channels() === 1) cv.cvtColor(image, region, cv.COLOR_GRAY2RGB);
  else image.copyTo(region);
}

function circle(cv: CV, image: Mat, keypoint: SiftKeypoint, colour: Rgb): void {
  const center = new cv.Point(cvRound(keypoint.x * MULTIPLIER), cvRound(keypoint.y * MULTIPLIER));
  cv.circle(image, center, 3 * MULTIPLIER, scalar(cv, colour), 1, cv.LINE_AA, SHIFT_BITS);
}

function scalar(cv: CV, [r, g, b]: Rgb): InstanceType<CV["Scalar"]> {
  return new cv.Scalar(r, g, b, 255);
}
