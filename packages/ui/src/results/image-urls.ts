/**
 * The addresses `<img>` and the detections canvas load output images from: a `url` image as it
 * is, a `base64` one as an object URL made once per image value and revoked when the outputs'
 * view goes (RunOutputs owns one ImageUrls).
 */
import { base64ToBytes, imageContentType, sniffImageFormat } from "@cvflow/wire";
import { createContext } from "preact";
import type { ImageValue } from "./output-values.js";

export class ImageUrls {
  private readonly made = new Map<ImageValue, string>();

  urlOf(image: ImageValue): string {
    if (image.type === "url") return image.value;
    let url = this.made.get(image);
    if (!url) {
      const bytes = base64ToBytes(image.value.replace(/^data:[^,]*,/, ""));
      const format = sniffImageFormat(bytes);
      url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], format ? { type: imageContentType(format) } : {}));
      this.made.set(image, url);
    }
    return url;
  }

  revokeAll(): void {
    for (const url of this.made.values()) URL.revokeObjectURL(url);
    this.made.clear();
  }
}

export const ImageUrlsContext = createContext<ImageUrls | null>(null);
