/**
 * How the JSON tree shows a leaf: strings clipped (a run's outputs hold long ones), image values
 * as one line naming the image instead of its base64, numbers and the rest as JSON. Pure.
 */
import { isRecord } from "@cvflow/wire";
import { formatBytes } from "../format.js";
import { isShownImage } from "./output-values.js";

/** Longer strings are clipped to this many characters until the person asks for all of it. */
const CLIP_AT = 160;

export function clipString(text: string, limit = CLIP_AT): { shown: string; clipped: number } {
  return text.length <= limit ? { shown: text, clipped: 0 } : { shown: text.slice(0, limit), clipped: text.length - limit };
}

/** "image, base64 JPEG, 482 KB" or "image, url https://…": never the bytes. */
export function imageSummary(value: Record<string, unknown> & { type: string; value: string }): string {
  if (value.type === "url") return `image, url ${clipString(value.value, 80).shown}${value.value.length > 80 ? "…" : ""}`;
  const bytes = Math.floor((value.value.replace(/=+$/, "").length * 3) / 4);
  return `image, base64, ${formatBytes(bytes)}`;
}

/** One line for a collapsed object or list: `{3 keys}`, `[5 items]`. */
export function containerSummary(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length} ${value.length === 1 ? "item" : "items"}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).length;
    return `{${keys} ${keys === 1 ? "key" : "keys"}}`;
  }
  return "";
}

/** Whether the tree shows `value` as a leaf (an image value is one, however it is built). */
export function isLeaf(value: unknown): boolean {
  return isShownImage(value) || !(Array.isArray(value) || isRecord(value));
}
