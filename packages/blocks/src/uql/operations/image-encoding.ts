/**
 * Image encoding operations: ConvertImageToJPEG (the JPEG bytes of an image, at Roboflow's
 * compression_level, default 95) and ConvertImageToBase64 (Roboflow's `base64_image`: an input
 * JPEG as it came, else the pixels as a quality-95 JPEG, in base64).
 *
 * Why a synchronous encoder (jpeg-js) beside sharp: operations run synchronously (a chain is
 * one function, also run inside filters and statements), while sharp only encodes
 * asynchronously. A lazy "bytes to come" value would make every consumer of an operation's
 * result (the next operation, each sink, the run's outputs) know about it and await it; plain
 * bytes (a Uint8Array) are what they already handle. The price: jpeg-js is pure JavaScript,
 * about ten times slower than sharp (measured here: 0.4 s for a 0.9-megapixel photo at
 * quality 95), and holds the event loop while it works. A grayscale image is written as an
 * RGB JPEG (OpenCV writes one channel); it decodes to the same pixels.
 */
import { detectImageFormat, WorkflowImage, type RawPixels } from "@cvflow/vision";
import { encode } from "jpeg-js";
import { invalidOperationInput, operationFailed } from "../../errors.js";
import { defineOperation } from "../operation-spec.js";

/** Roboflow's default compression_level of ConvertImageToJPEG. */
export const DEFAULT_COMPRESSION_LEVEL = 95;
/** Roboflow's quality for an image it has to encode into base64 (WorkflowImageData.base64_image). */
const BASE64_JPEG_QUALITY = 95;

/** The pixels as a JPEG (quality 1-100); jpeg-js reads RGBA, so each pixel is widened first. */
function jpegOf({ data, width, height, channels }: RawPixels, quality: number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0, i = 0; p < width * height; p++, i += channels) {
    rgba[p * 4] = data[i]!;
    rgba[p * 4 + 1] = data[channels === 3 ? i + 1 : i]!;
    rgba[p * 4 + 2] = data[channels === 3 ? i + 2 : i]!;
    rgba[p * 4 + 3] = 255;
  }
  const { data: jpeg } = encode({ data: rgba, width, height }, quality);
  return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
}

/** Encodes an image's pixels; what Python would raise (pixels not there) becomes an operation error. */
function encodeImage(operation: string, at: string, value: unknown, quality: number): Uint8Array {
  if (!(value instanceof WorkflowImage)) throw invalidOperationInput(operation, at, "an image", value);
  try {
    return jpegOf(value.pixels, quality);
  } catch (error) {
    throw operationFailed(operation, at, (error as Error).message);
  }
}

const convertImageToJpeg = defineOperation<{ compression_level: number }>({
  type: "ConvertImageToJPEG",
  description: "The image as JPEG bytes; compression_level is the JPEG quality (1-100, higher keeps more detail).",
  properties: { compression_level: { type: "integer", minimum: 1, maximum: 100, default: DEFAULT_COMPRESSION_LEVEL } },
  compile: ({ compression_level }, { at }) => (value) => encodeImage("ConvertImageToJPEG", at, value, compression_level),
});

const convertImageToBase64 = defineOperation({
  type: "ConvertImageToBase64",
  description: "The image as base64-encoded JPEG: an input JPEG as it came, else the pixels encoded at quality 95.",
  compile: (_, { at }) => (value) => {
    const source = value instanceof WorkflowImage ? value.source : undefined;
    const jpeg = source && detectImageFormat(source) === "jpeg" ? source : encodeImage("ConvertImageToBase64", at, value, BASE64_JPEG_QUALITY);
    return Buffer.from(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength).toString("base64");
  },
});

export const imageEncodingOperations = [convertImageToJpeg, convertImageToBase64];
