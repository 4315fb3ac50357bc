/** The Lambda shapes the API handler works with: Function URL events (payload v2) and their results. */
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import type { LargeResponseChoice } from "./large-response-choice.js";

export type ApiEvent = APIGatewayProxyEventV2;

/** A result while it passes through the middlewares: `body` stays a value until jsonResponse writes it. */
export interface ApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

/** When the request must be answered by; set by the runDeadline middleware. */
export interface Deadline {
  signal: AbortSignal;
  /** Epoch milliseconds. */
  at: number;
}

export interface ApiContext extends Context {
  deadline?: Deadline;
  /** What the request asked for should its response pass the limit; set by the largeResponseChoice middleware. */
  largeResponse?: LargeResponseChoice;
}
