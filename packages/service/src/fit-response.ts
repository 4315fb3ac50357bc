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
import { findImageValues, imageContentType, imageExtension, LARGE_RESPONSE_HEADER, OFFLOADED_IMAGES_HEADER, sniffImageFormat, type FoundImage } from "@cvflow/wire";
import { responseTooLarge } from "./errors.js";
import type { JsonResponse } from "./http.js";
import { LARGE_RESPONSE_FIELD, type LargeResponseChoice } from "./large-response-choice.js";

export interface ResponseLimit {
  maxBytes: number;
  /** false: refuse with 413 even when the request asks for its images to be moved to S3. */
  offload: boolean;
  blobs: BlobStore;
  /** How long the presigned URLs work; default the store's. */
  urlTtlSeconds?: number;
}

/** Room kept for the headers every answer gets (handle.ts) after this has measured. */
const HEADER_ALLOWANCE = 1024;
/** What a presigned URL is assumed to cost while choosing what to move (measured exactly afterwards). */
const URL_ALLOWANCE = 2048;

/** The response as it may be sent: itself when small enough, else with images moved to S3 (keys under `results/{requestId}/`), else a 413 thrown. */
export async function fitResponse(response: JsonResponse, choice: LargeResponseChoice, requestId: string, limit: ResponseLimit): Promise<JsonResponse> {
  let fitted = { ...response, headers: response.headers ?? {} };
  let size = payloadSize(fitted);
  if (size <= limit.maxBytes) return fitted;
  const tooLarge = (why: string) => tooLargeError({ size, maxBytes: limit.maxBytes, choice, offloadEnabled: limit.offload, why, body: response.body });
  if (choice === "fail") throw tooLarge("the request did not ask for its images to be moved to S3");
  if (!limit.offload) throw tooLarge("moving images to S3 is switched off in this deployment");
  let left = findImageValues(response.body, "base64").sort((a, b) => b.value.length - a.value.length);
  let count = 0;
  while (size > limit.maxBytes) {
    const chosen = chooseParts(left, size - limit.maxBytes);
    if (chosen.length === 0) throw tooLarge("it is still too large with its images moved to S3");
    await Promise.all(chosen.map((part) => offload(part, `results/${requestId}/${count++}`, limit)));
    left = left.slice(chosen.length);
    fitted = { ...fitted, headers: { ...fitted.headers, [OFFLOADED_IMAGES_HEADER]: String(count) } };
    size = payloadSize(fitted);
  }
  return fitted;
}

/** Bytes of the buffered Function URL result this response becomes (the limit is on it): its body is JSON text inside the result's JSON. */
function payloadSize(response: JsonResponse): number {
  const text = JSON.stringify({ statusCode: response.statusCode, headers: response.headers, body: JSON.stringify(response.body) });
  return Buffer.byteLength(text) + HEADER_ALLOWANCE;
}

/** From the largest (`parts` is sorted), until the bytes saved should cover the excess. */
function chooseParts(parts: readonly FoundImage[], excess: number): FoundImage[] {
  const chosen: FoundImage[] = [];
  let saved = 0;
  for (const part of parts) {
    if (saved >= excess) break;
    chosen.push(part);
    saved += part.value.length - URL_ALLOWANCE;
  }
  return chosen;
}

async function offload(part: FoundImage, keyBase: string, limit: ResponseLimit): Promise<void> {
  const bytes = Buffer.from(part.value, "base64");
  const format = sniffImageFormat(bytes);
  const key = `${keyBase}.${format ? imageExtension(format) : "bin"}`;
  await limit.blobs.put(key, bytes, format ? imageContentType(format) : "application/octet-stream");
  part.holder["type"] = "url";
  part.holder["value"] = await limit.blobs.presignGet(key, limit.urlTtlSeconds);
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

function tooLargeError({ size, maxBytes, choice, offloadEnabled, why, body }: TooLarge): WorkflowError {
  const heaviest = heaviestOutputs(body);
  const askOffload =
    offloadEnabled && choice === "fail" ? `Ask for its images as presigned URLs with "${LARGE_RESPONSE_FIELD}": "offload" in the body or the header ${LARGE_RESPONSE_HEADER}: offload, or leave` : "Leave";
  const named = heaviest.length > 0 ? ` (the largest: ${heaviest.map((o) => o.name).join(", ")})` : "";
  return responseTooLarge(
    `The response would be ${size} bytes, over the limit of ${maxBytes}, and ${why}. ${askOffload} outputs out with "excluded_fields"${named}, or run fewer images at once.`,
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
