/** Image operations: the size properties of an image. */
import { invalidOperationInput } from "../errors.js";
import { defineOperation } from "../operation-spec.js";
import { isImage, type ImageLike } from "../values.js";

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

export const imageOperations = [extractImageProperty];
