/** The Lambda shapes of the API: Function URL events (payload v2) and the results it answers, buffered or streamed. */
import type { Readable } from "node:stream";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

export type ApiEvent = APIGatewayProxyEventV2;

/** The Function URL's invoke mode, which the function must match (CVFLOW_INVOKE_MODE). */
export const INVOKE_MODES = ["BUFFERED", "RESPONSE_STREAM"] as const;
export type InvokeMode = (typeof INVOKE_MODES)[number];

export interface ApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** The body is bytes in base64 (the page's files). */
  isBase64Encoded?: boolean;
}

/** In RESPONSE_STREAM mode: middy writes the status and headers as the stream's prelude, then the body, piped when it is a stream. */
export interface StreamedApiResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string | Readable;
}
