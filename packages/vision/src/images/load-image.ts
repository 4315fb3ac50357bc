/**
 * Image inputs -> WorkflowImage. Accepted: Roboflow's wire form `{"type": "base64" | "url" |
 * "s3" | "file", "value": ...}`, a bare base64 string, a data URL, an http(s) URL string (as
 * Roboflow's deserializer accepts one), bytes, or a WorkflowImage (returned as it is). Sizes are
 * checked before anything is decoded: base64 by its length, URLs while they stream.
 */
import { imageTooLarge, withArticle, WorkflowError } from "@cvflow/engine";
import { isRecord } from "@cvflow/wire";
import { atPointer, imageSourceDisabled, invalidImageInput, s3FetchFailed } from "../errors.js";
import { DEFAULT_MAX_BYTES, openImage, type DecodeImageOptions } from "./decode-image.js";
import { fetchUrl, type FetchUrlOptions, type UrlPolicy } from "./fetch-url.js";
import { inputImageId, wireLineage } from "./input-lineage.js";
import { readFileInRoot } from "./read-file-in-root.js";
import { inputLineage, WorkflowImage } from "./workflow-image.js";

/** Reads one S3 object; plugged in by the service (the vision package knows no S3 client). */
export type FetchS3 = (bucket: string, key: string, signal?: AbortSignal) => Promise<Uint8Array>;

export interface ImageLoaderOptions extends DecodeImageOptions {
  /** How `{"type": "url"}` inputs and URL strings are fetched. */
  url?: UrlPolicy;
  /** Enables `{"type": "s3"}` inputs; without it they are refused. */
  fetchS3?: FetchS3;
  /** Enables `{"type": "file"}` inputs, for paths inside this directory; without it they are refused. */
  fileRoot?: string;
  /** The run's signal, passed on to URL and S3 fetches. */
  signal?: AbortSignal;
  /** A run's image budget in pixels (RunImageBudget); default 200 megapixels. */
  maxRunPixels?: number;
}

const WIRE_TYPES = ["base64", "url", "s3", "file"];
const BASE64 = /^[A-Za-z0-9+/\-_\s]*={0,2}\s*$/;

/**
 * The engine's InputDeserializer for the `image` kind: images read and their headers checked,
 * their pixels decoded when a step first needs them (openImageInput). The run's signal, when the
 * engine passes one, bounds URL and S3 fetches.
 */
export function createImageLoader(options: ImageLoaderOptions = {}): (value: unknown, pointer: string, signal?: AbortSignal) => Promise<WorkflowImage> {
  return (value, pointer, signal) => openImageInput(value, pointer, signal ? { ...options, signal } : options);
}

/** Loads and decodes the image input found at `pointer` (e.g. "/inputs/image/0", which also names it: "image.[0]"). */
export async function loadImage(value: unknown, pointer: string, options: ImageLoaderOptions = {}): Promise<WorkflowImage> {
  const image = await openImageInput(value, pointer, options);
  await image.load();
  return image;
}

/** The image input found at `pointer`, read and its header checked; its pixels decoded on first need. */
export async function openImageInput(value: unknown, pointer: string, options: ImageLoaderOptions = {}): Promise<WorkflowImage> {
  if (value instanceof WorkflowImage) return value;
  try {
    const id = inputImageId(pointer);
    if (!isRecord(value)) return await openImage(await readBare(value, options), inputLineage(id), options, pointer);
    const lineage = wireLineage(value, id); // checked before anything is fetched
    return await openImage(await readWire(value, options), lineage, options, pointer);
  } catch (error) {
    throw atPointer(error, pointer);
  }
}

async function readBare(value: unknown, options: ImageLoaderOptions): Promise<Uint8Array> {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") {
    return /^https?:\/\//i.test(value) ? fetchUrl(value, fetchOptions(options)) : decodeBase64(value, maxBytes(options));
  }
  throw invalidImageInput(
    `Expected {"type": "base64" | "url" | "s3" | "file", "value": ...}, a base64 string, a data URL or a URL; got ${describe(value)}`,
  );
}

async function readWire(wire: Record<string, unknown>, options: ImageLoaderOptions): Promise<Uint8Array> {
  const type = wire["type"];
  const value = wire["value"];
  if (typeof type !== "string" || !WIRE_TYPES.includes(type.toLowerCase())) {
    throw invalidImageInput(`"type" must be one of ${WIRE_TYPES.map((t) => `"${t}"`).join(", ")}; got ${describe(type)}`, { field: "type" });
  }
  switch (type.toLowerCase()) {
    case "base64":
      return decodeBase64(requireString(value, type), maxBytes(options));
    case "url":
      return fetchUrl(requireString(value, type), fetchOptions(options));
    case "s3":
      return readS3(value, options);
    default:
      if (options.fileRoot === undefined) throw imageSourceDisabled("file", "File inputs are not enabled on this server");
      return readFileInRoot(requireString(value, type), options.fileRoot, maxBytes(options));
  }
}

/** Base64, optionally as a data URL; refused by its length alone when it would decode to too many bytes. */
function decodeBase64(text: string, limit: number): Buffer {
  let data = text;
  if (/^data:/i.test(text)) {
    const comma = text.slice(0, 256).indexOf(",");
    if (comma < 0 || !/;base64$/i.test(text.slice(0, comma))) {
      throw invalidImageInput("A data URL must be base64-encoded: data:image/...;base64,<data>");
    }
    data = text.slice(comma + 1);
  }
  // Every 4 characters hold 3 bytes; whitespace and padding only make this an overestimate.
  const estimated = Math.floor((data.length * 3) / 4);
  if (estimated > limit) throw imageTooLarge(estimated, limit);
  if (!BASE64.test(data)) throw invalidImageInput("The value is not base64 data, a data URL or an http(s) URL");
  return Buffer.from(data, "base64");
}

async function readS3(value: unknown, options: ImageLoaderOptions): Promise<Uint8Array> {
  const { bucket, key } = s3Location(value);
  if (!options.fetchS3) throw imageSourceDisabled("s3", "S3 inputs are not enabled on this server");
  let bytes: Uint8Array;
  try {
    bytes = await options.fetchS3(bucket, key, options.signal);
  } catch (error) {
    // A cancelled or timed-out run: its own reason, which the engine turns into the run's error.
    if (error instanceof WorkflowError || options.signal?.aborted) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw s3FetchFailed(bucket, key, why);
  }
  if (bytes.length > maxBytes(options)) throw imageTooLarge(bytes.length, maxBytes(options));
  return bytes;
}

function s3Location(value: unknown): { bucket: string; key: string } {
  if (typeof value === "string") {
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(value);
    if (match) return { bucket: match[1]!, key: match[2]! };
  } else if (isRecord(value) && typeof value["bucket"] === "string" && typeof value["key"] === "string" && value["bucket"] && value["key"]) {
    return { bucket: value["bucket"], key: value["key"] };
  }
  throw invalidImageInput(`An s3 image needs "s3://bucket/key" or {"bucket", "key"}; got ${describe(value)}`, { field: "value" });
}

function fetchOptions(options: ImageLoaderOptions): FetchUrlOptions {
  return { ...options.url, maxBytes: maxBytes(options), signal: options.signal };
}

function maxBytes(options: ImageLoaderOptions): number {
  return options.maxBytes ?? DEFAULT_MAX_BYTES;
}

function requireString(value: unknown, type: string): string {
  if (typeof value !== "string") throw invalidImageInput(`An image of type "${type}" needs a string "value"; got ${describe(value)}`, { field: "value" });
  return value;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the string "${value.slice(0, 40)}${value.length > 40 ? "…" : ""}"`;
  return withArticle(typeof value);
}
