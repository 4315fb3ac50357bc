/** Image operations: the size properties of an image, and of the video frame it is. */
import { invalidOperationInput, operationFailed } from "../../errors.js";
import { defineOperation } from "../operation-spec.js";
import { isImage, type FrameLike, type ImageLike } from "../values.js";

const IMAGE_PROPERTIES: Record<string, (image: ImageLike) => number> = {
  size: ({ width, height }) => width * height,
  height: ({ height }) => height,
  width: ({ width }) => width,
  aspect_ratio: ({ width, height }) => (height !== 0 ? width / height : 0),
};

const extractImageProperty = defineOperation<{ property_name: string }>({
  type: "ExtractImageProperty",
  description: "size (pixels), height, width or aspect_ratio (width / height) of an image.",
  properties: { property_name: { enum: Object.keys(IMAGE_PROPERTIES) } },
  required: ["property_name"],
  compile: ({ property_name }, { at }) => {
    const extract = IMAGE_PROPERTIES[property_name]!;
    return (value) => {
      if (!isImage(value)) throw invalidOperationInput("ExtractImageProperty", at, "an image", value);
      return extract(value);
    };
  },
});

/** Roboflow's FrameMetadataProperty; a photo is frame 0 at 30 fps, so its seconds_since_start is -1/30, as there. */
const FRAME_PROPERTIES: Record<string, (frame: FrameLike) => number | string> = {
  frame_number: ({ frame_number }) => frame_number,
  frame_timestamp: ({ frame_timestamp }) => frame_timestamp,
  seconds_since_start: ({ frame_number, fps }) => {
    if (!fps) throw new Error(`the frame rate is ${fps === null ? "not known" : "0"}`);
    return (frame_number - 1) / fps;
  },
};

const extractFrameMetadata = defineOperation<{ property_name: string }>({
  type: "ExtractFrameMetadata",
  description: "frame_number, frame_timestamp (ISO 8601) or seconds_since_start ((frame_number - 1) / fps) of the video frame an image is.",
  properties: { property_name: { enum: Object.keys(FRAME_PROPERTIES) } },
  required: ["property_name"],
  compile: ({ property_name }, { at }) => {
    const extract = FRAME_PROPERTIES[property_name]!;
    return (value) => {
      const frame = isImage(value) ? value.videoMetadata : undefined;
      if (!frame) throw invalidOperationInput("ExtractFrameMetadata", at, "an image", value);
      try {
        return extract(frame);
      } catch (error) {
        throw operationFailed("ExtractFrameMetadata", at, (error as Error).message);
      }
    };
  },
});

export const imageOperations = [extractImageProperty, extractFrameMetadata];
