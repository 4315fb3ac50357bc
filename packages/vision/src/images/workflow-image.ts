/**
 * WorkflowImage: decoded pixels (RGB, or one channel after a grayscale conversion) plus the
 * image's lineage — which image it was cut from and where — so that predictions made on a crop
 * can be placed back on the input image. Decoding happens once, when the image enters a run;
 * crops are row copies of those pixels, with no codec involved.
 */
import sharp, { type Sharp } from "sharp";

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
}

export function inputLineage(id: string): ImageLineage {
  return { parentId: id, parentOrigin: null, rootParentId: id, rootOrigin: null };
}

export class WorkflowImage {
  readonly pixels: RawPixels;
  readonly lineage: ImageLineage;
  private encoded: Buffer | undefined;

  constructor(pixels: RawPixels, lineage: ImageLineage, source?: Buffer) {
    if (pixels.data.length !== pixels.width * pixels.height * pixels.channels) {
      throw new RangeError(`pixel buffer holds ${pixels.data.length} bytes, expected ${pixels.width}x${pixels.height}x${pixels.channels}`);
    }
    this.pixels = pixels;
    this.lineage = lineage;
    this.encoded = source;
  }

  /** The encoded bytes these pixels were decoded from, while they are unchanged (for sending back as they came). */
  get source(): Buffer | undefined {
    return this.encoded;
  }

  /** Call before writing into `pixels` in place (drawing with copy_image false): the source bytes no longer match. */
  markPixelsChanged(): void {
    this.encoded = undefined;
  }

  get width(): number {
    return this.pixels.width;
  }

  get height(): number {
    return this.pixels.height;
  }

  get channels(): Channels {
    return this.pixels.channels;
  }

  /** The same image with other pixels (a drawing, a filter): lineage kept, source dropped. */
  withPixels(pixels: RawPixels): WorkflowImage {
    return new WorkflowImage(pixels, this.lineage);
  }

  /**
   * The region [x1, x2) x [y1, y2) (clamped to the image, rounded to whole pixels) as a new
   * image whose predictions will carry `parentId`.
   */
  crop(x1: number, y1: number, x2: number, y2: number, parentId: string): WorkflowImage {
    const left = clamp(Math.round(x1), 0, this.width);
    const top = clamp(Math.round(y1), 0, this.height);
    const right = clamp(Math.round(x2), left, this.width);
    const bottom = clamp(Math.round(y2), top, this.height);
    const { channels } = this.pixels;
    const width = right - left;
    const height = bottom - top;
    const data = new Uint8Array(width * height * channels);
    const rowBytes = width * channels;
    for (let y = 0; y < height; y++) {
      const from = ((top + y) * this.width + left) * channels;
      data.set(this.pixels.data.subarray(from, from + rowBytes), y * rowBytes);
    }
    const root = this.lineage.rootOrigin;
    return new WorkflowImage({ data, width, height, channels }, {
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

  async encode(format: "jpeg" | "png" = "jpeg", quality = 90): Promise<Buffer> {
    const pipeline = this.toSharp();
    return format === "png" ? pipeline.png().toBuffer() : pipeline.jpeg({ quality }).toBuffer();
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
