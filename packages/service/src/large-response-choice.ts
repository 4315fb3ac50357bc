/**
 * What a request wants done when its response would pass the payload limit: "offload" (its
 * images go to S3 and come back as `{"type": "url"}` presigned GETs) or "fail" (413
 * `response_too_large` saying by how much). Asked for in the JSON body's `large_response` or the
 * `X-Cvflow-Large-Response` header; when both are given they must agree. Unasked, "fail": a
 * client that did not ask for URLs cannot be assumed to read them (Roboflow's inference_sdk
 * decodes only base64 images, and would hand its caller values it cannot use).
 */
import { invalidRequest } from "./errors.js";
import { LARGE_RESPONSE_HEADER } from "@cvflow/wire";

export const LARGE_RESPONSE_CHOICES = ["offload", "fail"] as const;
export type LargeResponseChoice = (typeof LARGE_RESPONSE_CHOICES)[number];
export const DEFAULT_LARGE_RESPONSE: LargeResponseChoice = "fail";
export const LARGE_RESPONSE_FIELD = "large_response";

export function chooseLargeResponse(header: string | undefined, body: unknown): LargeResponseChoice {
  const fromHeader = header === undefined ? undefined : headerChoice(header);
  const fromBody = bodyChoice(body);
  if (fromHeader && fromBody && fromHeader !== fromBody) {
    throw invalidRequest(
      `"${LARGE_RESPONSE_FIELD}" is "${fromBody}" but the ${LARGE_RESPONSE_HEADER} header says "${fromHeader}"; send one, or the same in both`,
      { field: LARGE_RESPONSE_FIELD, pointer: `/${LARGE_RESPONSE_FIELD}`, header: LARGE_RESPONSE_HEADER },
    );
  }
  return fromBody ?? fromHeader ?? DEFAULT_LARGE_RESPONSE;
}

function headerChoice(header: string): LargeResponseChoice {
  const value = header.trim().toLowerCase();
  if (isChoice(value)) return value;
  throw invalidRequest(`The ${LARGE_RESPONSE_HEADER} header must be ${alternatives()}; got ${JSON.stringify(header)}`, {
    header: LARGE_RESPONSE_HEADER,
    allowed: [...LARGE_RESPONSE_CHOICES],
  });
}

function bodyChoice(body: unknown): LargeResponseChoice | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  const value = (body as Record<string, unknown>)[LARGE_RESPONSE_FIELD];
  if (value === undefined || value === null) return undefined;
  if (isChoice(value)) return value;
  throw invalidRequest(`"${LARGE_RESPONSE_FIELD}" must be ${alternatives()}; got ${JSON.stringify(value)}`, {
    field: LARGE_RESPONSE_FIELD,
    pointer: `/${LARGE_RESPONSE_FIELD}`,
    allowed: [...LARGE_RESPONSE_CHOICES],
  });
}

function isChoice(value: unknown): value is LargeResponseChoice {
  return (LARGE_RESPONSE_CHOICES as readonly unknown[]).includes(value);
}

function alternatives(): string {
  return LARGE_RESPONSE_CHOICES.map((c) => `"${c}"`).join(" or ");
}
