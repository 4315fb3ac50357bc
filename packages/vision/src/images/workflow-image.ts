/**
 * WorkflowImage: pixels (RGB, or one channel after a grayscale conversion) plus the image's
 * lineage — which image it was cut from and where — so that predictions made on a crop can be
 * placed back on the input image. An input image is decoded on first need, once (LOAD, which the
 * executor calls before a block reads pixels); until then a model can read it at the size it
 * needs straight from its bytes (`resized`: a JPEG shrunk on load costs a fraction of a full
 * decode, in time and memory). Crops are row copies of the pixels, with no codec involved.
 *
 * An image made from pixels inside a run is charged to the run's image budget as it is made
 * (run-image-budget.ts); a crop is checked against it before its pixels are allocated.
 */
import { LOAD, type Loadable } from "@cvflow/engine";
import sharp, { type Region, type Sharp } from "sharp";
import { chargeRunImage, checkRunRoom } from "./run-image-budget.js";
import { photoVideoMetadata, type VideoMetadata } from "./video-metadata.js";

export type Channels = 1 | 3;

export interface RawPixels {
  /** Row-major, interleaved channels, no padding. */
  data: Uint8Array;
  width: number;
  height: number;
  channels: Channels;
}

/** Where an image sits inside another: its offset there and the other image's size (the wire format's `parent_origin`). */
export interface ImageOrigin {
  offset_x: number;
  offset_y: number;
  width: number;
  height: number;
}

export interface ImageLineage {
  /** The id predictions made on this image carry as `parent_id`. */
  parentId: string;
  /** Where this image sits in the image it was cut from; null for an input image. */
  parentOrigin: ImageOrigin | null;
  /** The input image everything here descends from. */
  rootParentId: string;
  /** Where this image sits in the root image; null for an input image. */
  rootOrigin: ImageOrigin | null;
  /** The video frame this image is, when it came as one (see video-metadata.ts). */
  videoMetadata?: VideoMetadata;
}

export function inputLineage(id: string): ImageLineage {
  return { parentId: id, parentOrigin: null, rootParentId: id, rootOrigin: null };
}

/** A resize of the whole image to width x height, then optionally a region of the result. */
export interface ResizeRequest {
  width: number;
  height: number;
  crop?: Region;
}

/** Decodes an image's bytes: every pixel, or (given a resize) straight to that size in one pass. */
export type PixelDecoder = (resize?: ResizeRequest) => Promise<RawPixels>;

/** Pixels to come: the size they will have, and how to decode them. */
export interface DeferredPixels {
  width: number;
  height: number;
  channels: Channels;
  decode: PixelDecoder;
}

/** Set while an image is made on another's pixels (withPixels after drawing in place): nothing new to charge. */
let sharingPixels = false;

export class WorkflowImage implements Loadable {
  readonly lineage: ImageLineage;
  readonly width: number;
  readonly height: number;
  readonly channels: Channels;
  private decoded: RawPixels | undefined;
  private decoder: PixelDecoder | undefined;
  private loading: Promise<void> | undefined;
  private encoded: Buffer | undefined;

  /** `pixels`: decoded ones, or deferred ones that are decoded on first need (LOAD or `resized`). */
  constructor(pixels: RawPixels | DeferredPixels, lineage: ImageLineage, source?: Buffer) {
    if ("decode" in pixels) {
      // An input's pixels to come, charged when the run admits its inputs.
      this.decoder = pixels.decode;
    } else {
      this.decoded = checkLength(pixels);
      if (!sharingPixels) chargeRunImage(pixels.width, pixels.height, `an image of ${pixels.width}x${pixels.height}`);
    }
    this.width = pixels.width;
    this.height = pixels.height;
    this.channels = pixels.channels;
    this.lineage = lineage;
    this.encoded = source;
  }

  /** The pixels; a deferred image must be loaded first (the executor does it before a block runs). */
  get pixels(): RawPixels {
    if (!this.decoded) throw new Error("the image is not decoded yet: await its load() (or LOAD) before reading its pixels");
    return this.decoded;
  }

  /** Whether the pixels are in memory (an image from pixels, or a deferred one loaded). */
  get isDecoded(): boolean {
    return this.decoded !== undefined;
  }

  [LOAD](): Promise<void> | undefined {
    if (this.decoded) return undefined;
    this.loading ??= this.decoder!().then((pixels) => {
      this.decoded = this.checked(pixels);
      this.decoder = undefined;
    });
    return this.loading;
  }

  /** The pixels, decoded first if they are not yet. */
  async load(): Promise<RawPixels> {
    await this[LOAD]();
    return this.pixels;
  }

  /**
   * The image resized to width x height (linear), then the region `crop` of that. From the
   * pixels once decoded; before that, straight from the encoded bytes, without decoding every
   * pixel (JPEG and WebP shrink on load).
   */
  async resized(width: number, height: number, crop?: Region): Promise<RawPixels> {
    if (this.loading) await this.loading;
    if (this.decoded) return resizePixels(this.decoded, width, height, crop);
    if (width === this.width && height === this.height && !crop) return this.load();
    return this.decoder!({ width, height, crop });
  }

  /** The video frame this image is; for an image not known to be one, frame 0 of a video named after it, now. */
  get videoMetadata(): VideoMetadata {
    return this.lineage.videoMetadata ?? photoVideoMetadata(this.lineage.parentId);
  }

  /** The encoded bytes these pixels were decoded from, while they are unchanged (for sending back as they came). */
  get source(): Buffer | undefined {
    return this.encoded;
  }

  /** Call before writing into `pixels` in place (drawing with copy_image false): the source bytes no longer match. */
  markPixelsChanged(): void {
    this.encoded = undefined;
  }

  /** The same image with other pixels (a drawing, a filter): lineage kept, source dropped. */
  withPixels(pixels: RawPixels): WorkflowImage {
    if (pixels.data !== this.decoded?.data) return new WorkflowImage(pixels, this.lineage);
    // Drawn in place (copy_image false): no new pixels to charge.
    sharingPixels = true;
    try {
      return new WorkflowImage(pixels, this.lineage);
    } finally {
      sharingPixels = false;
    }
  }

  /**
   * The region [x1, x2) x [y1, y2) (clamped to the image, rounded to whole pixels) as a new
   * image whose predictions will carry `parentId`. A crop is no video frame, unless
   * `keepVideoFrame` (static crops, as in Roboflow): then it is this image's frame, if it is one,
   * under the identifier "<video> | crop: <parentId>".
   */
  crop(x1: number, y1: number, x2: number, y2: number, parentId: string, keepVideoFrame = false): WorkflowImage {
    const left = clamp(Math.round(x1), 0, this.width);
    const top = clamp(Math.round(y1), 0, this.height);
    const right = clamp(Math.round(x2), left, this.width);
    const bottom = clamp(Math.round(y2), top, this.height);
    const { channels } = this.pixels;
    const width = right - left;
    const height = bottom - top;
    checkRunRoom(1, width * height, `a crop of ${width}x${height}`);
    const data = new Uint8Array(width * height * channels);
    const rowBytes = width * channels;
    for (let y = 0; y < height; y++) {
      const from = ((top + y) * this.width + left) * channels;
      data.set(this.pixels.data.subarray(from, from + rowBytes), y * rowBytes);
    }
    const root = this.lineage.rootOrigin;
    const frame = keepVideoFrame ? this.lineage.videoMetadata : undefined;
    return new WorkflowImage({ data, width, height, channels }, {
      ...(frame ? { videoMetadata: { ...frame, video_identifier: `${frame.video_identifier} | crop: ${parentId}` } } : {}),
      parentId,
      parentOrigin: { offset_x: left, offset_y: top, width: this.width, height: this.height },
      rootParentId: this.lineage.rootParentId,
      rootOrigin: root
        ? { offset_x: root.offset_x + left, offset_y: root.offset_y + top, width: root.width, height: root.height }
        : { offset_x: left, offset_y: top, width: this.width, height: this.height },
    });
  }

  /** A sharp pipeline over the pixels, for processing. */
  toSharp(): Sharp {
    const { data, width, height, channels } = this.pixels;
    return sharp(data, { raw: { width, height, channels } });
  }

  /**
   * The pixels encoded. JPEG without optimised Huffman tables, as OpenCV writes them: optimising
   * keeps every DCT coefficient of the image in memory (3 bytes a pixel, 120 MB for 40 megapixels)
   * and took 15 times as long, for files a fifth smaller.
   */
  async encode(format: "jpeg" | "png" = "jpeg", quality = 90): Promise<Buffer> {
    await this[LOAD]();
    const pipeline = this.toSharp();
    return format === "png" ? pipeline.png().toBuffer() : pipeline.jpeg({ quality, optimiseCoding: false }).toBuffer();
  }

  private checked(pixels: RawPixels): RawPixels {
    checkLength(pixels);
    if (pixels.width !== this.width || pixels.height !== this.height || pixels.channels !== this.channels) {
      throw new RangeError(`decoded ${pixels.width}x${pixels.height}x${pixels.channels}, expected ${this.width}x${this.height}x${this.channels}`);
    }
    return pixels;
  }
}

/** Raw pixels resized to width x height (linear), then the region `crop` of that; the pixels themselves when nothing changes. */
export async function resizePixels(image: RawPixels, width: number, height: number, crop?: Region): Promise<RawPixels> {
  if (image.width === width && image.height === height && !crop) return image;
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: image.channels } }).resize(width, height, { fit: "fill", kernel: "linear" });
  if (crop) pipeline = pipeline.extract(crop);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels === 1 ? 1 : 3 };
}

function checkLength(pixels: RawPixels): RawPixels {
  if (pixels.data.length !== pixels.width * pixels.height * pixels.channels) {
    throw new RangeError(`pixel buffer holds ${pixels.data.length} bytes, expected ${pixels.width}x${pixels.height}x${pixels.channels}`);
  }
  return pixels;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
