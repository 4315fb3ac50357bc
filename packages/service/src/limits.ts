/** The HTTP product's limits (docs/api.md), each with the product's value as its default; a deployment may set them. */

/** The Function URL's payload limit, both ways: what a request and a response may weigh. */
export const PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

export interface HttpLimits {
  /** The longest a request may take (deadline.ts). */
  runDeadlineMs: number;
  /** Kept from the caller's remaining time to send the answer (and offload images). */
  deadlineMarginMs: number;
  /** false: a response over the limit is 413 even when the request asks for its images to be moved to S3 (fit-response.ts). */
  offloadLargeResponses: boolean;
  maxRequestBytes: number;
  maxResponseBytes: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  runDeadlineMs: 20_000,
  deadlineMarginMs: 1_000,
  offloadLargeResponses: true,
  maxRequestBytes: PAYLOAD_LIMIT_BYTES,
  maxResponseBytes: PAYLOAD_LIMIT_BYTES,
};
