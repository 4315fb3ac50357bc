/**
 * A response is never sent over the limit (6 MB, the Function URL's). When the request asked for
 * it (large-response-choice.ts) and the deployment allows it, its images — values
 * `{"type": "base64", "value"}` anywhere in the body, largest first — are put in S3 under
 * `results/{requestId}/` and replaced by `{"type": "url", "value": <presigned GET>}` until it
 * fits, and the `X-Cvflow-Offloaded-Images` header says how many were. Otherwise, or when images
 * are not what makes it large, the answer is 413 `response_too_large`, which says by how much,
 * which outputs weigh most and how to ask for offloading.
 */
import { WorkflowError } from "@cvflow/engine";
import type { BlobStore } from "@cvflow/store";
import type { MiddlewareObj } from "@middy/core";
import { DEFAULT_LARGE_RESPONSE, LARGE_RESPONSE_FIELD, LARGE_RESPONSE_HEADER, type LargeResponseChoice } from "./large-response-choice.js";
import type { ApiContext, ApiEvent, ApiResult } from "./types.js";

/** Set on a response some of whose images were moved to S3: their number. */
export const OFFLOADED_IMAGES_HEADER = "x-cvflow-offloaded-images";

export interface ResponseLimitOptions {
  maxBytes: number;
  /** false: refuse with 413 even when the request asks for its images to be moved to S3. */
  offload: boolean;
  blobs: BlobStore;
  /** How long the presigned URLs work; default the store's. */
  urlTtlSeconds?: number;
}

/** Room kept for the headers jsonResponse adds after this middleware has measured. */
const HEADER_ALLOWANCE = 1024;
/** What a presigned URL is assumed to cost while choosing what to move (measured exactly afterwards). */
const URL_ALLOWANCE = 2048;

interface ImagePart {
  holder: Record<string, unknown>;
  value: string;
}

export function responseLimit(options: ResponseLimitOptions): MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  return {
    name: "responseLimit",
    after: async (request) => {
      const response = request.response;
      if (!response) return;
      let size = payloadSize(response);
      if (size <= options.maxBytes) return;
      const choice = request.context.largeResponse ?? DEFAULT_LARGE_RESPONSE;
      const tooLarge = (why: string) => responseTooLarge({ size, maxBytes: options.maxBytes, choice, offloadEnabled: options.offload, why, body: response.body });
      if (choice === "fail") throw tooLarge("the request did not ask for its images to be moved to S3");
      if (!options.offload) throw tooLarge("moving images to S3 is switched off in this deployment");
      let left = imageParts(response.body).sort((a, b) => b.value.length - a.value.length);
      let count = 0;
      while (size > options.maxBytes) {
        const chosen = chooseParts(left, size - options.maxBytes);
        if (chosen.length === 0) throw tooLarge("it is still too large with its images moved to S3");
        await Promise.all(chosen.map((part) => offload(part, `results/${request.context.awsRequestId}/${count++}`, options)));
        left = left.slice(chosen.length);
        response.headers = { ...response.headers, [OFFLOADED_IMAGES_HEADER]: String(count) };
        size = payloadSize(response);
      }
    },
  };
}

/** Bytes of the Lambda payload this response becomes: its body is JSON text inside the result's JSON. */
function payloadSize(response: ApiResult): number {
  const text = JSON.stringify({ statusCode: response.statusCode, headers: response.headers, body: JSON.stringify(response.body) });
  return Buffer.byteLength(text) + HEADER_ALLOWANCE;
}

function imageParts(value: unknown, found: ImagePart[] = []): ImagePart[] {
  if (Array.isArray(value)) {
    for (const item of value) imageParts(item, found);
  } else if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (record["type"] === "base64" && typeof record["value"] === "string") found.push({ holder: record, value: record["value"] });
    else for (const item of Object.values(record)) imageParts(item, found);
  }
  return found;
}

/** From the largest (`parts` is sorted), until the bytes saved should cover the excess. */
function chooseParts(parts: readonly ImagePart[], excess: number): ImagePart[] {
  const chosen: ImagePart[] = [];
  let saved = 0;
  for (const part of parts) {
    if (saved >= excess) break;
    chosen.push(part);
    saved += part.value.length - URL_ALLOWANCE;
  }
  return chosen;
}

async function offload(part: ImagePart, keyBase: string, options: ResponseLimitOptions): Promise<void> {
  const bytes = Buffer.from(part.value, "base64");
  const { extension, contentType } = imageType(bytes);
  const key = `${keyBase}.${extension}`;
  await options.blobs.put(key, bytes, contentType);
  part.holder["type"] = "url";
  part.holder["value"] = await options.blobs.presignGet(key, options.urlTtlSeconds);
}

function imageType(bytes: Uint8Array): { extension: string; contentType: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { extension: "jpg", contentType: "image/jpeg" };
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return { extension: "png", contentType: "image/png" };
  return { extension: "bin", contentType: "application/octet-stream" };
}

interface TooLarge {
  size: number;
  maxBytes: number;
  choice: LargeResponseChoice;
  offloadEnabled: boolean;
  why: string;
  body: unknown;
}

/** How many of the heaviest outputs a 413 names. */
const NAMED_OUTPUTS = 5;

function responseTooLarge({ size, maxBytes, choice, offloadEnabled, why, body }: TooLarge): WorkflowError {
  const heaviest = heaviestOutputs(body);
  const askOffload =
    offloadEnabled && choice === "fail" ? `Ask for its images as presigned URLs with "${LARGE_RESPONSE_FIELD}": "offload" in the body or the header ${LARGE_RESPONSE_HEADER}: offload, or leave` : "Leave";
  const named = heaviest.length > 0 ? ` (the largest: ${heaviest.map((o) => o.name).join(", ")})` : "";
  return new WorkflowError(
    "response_too_large",
    `The response would be ${size} bytes, over the limit of ${maxBytes}, and ${why}. ${askOffload} outputs out with "excluded_fields"${named}, or run fewer images at once.`,
    413,
    {
      size_bytes: size,
      limit_bytes: maxBytes,
      large_response: choice,
      offload_enabled: offloadEnabled,
      ...(offloadEnabled ? { offload_request: { field: LARGE_RESPONSE_FIELD, header: LARGE_RESPONSE_HEADER, value: "offload" } } : {}),
      largest_outputs: heaviest,
    },
  );
}

/** A run response's outputs by name, with the bytes each takes over all its results, heaviest first. */
function heaviestOutputs(body: unknown): { name: string; bytes: number }[] {
  const outputs = typeof body === "object" && body !== null ? (body as { outputs?: unknown }).outputs : undefined;
  if (!Array.isArray(outputs)) return [];
  const bytes = new Map<string, number>();
  for (const result of outputs) {
    if (typeof result !== "object" || result === null) continue;
    for (const [name, value] of Object.entries(result)) bytes.set(name, (bytes.get(name) ?? 0) + Buffer.byteLength(JSON.stringify(value) ?? ""));
  }
  return [...bytes]
    .map(([name, count]) => ({ name, bytes: count }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, NAMED_OUTPUTS);
}
