/**
 * The errors the local stack's HTTP front answers with itself, before or instead of the
 * function: node:http's refusals and the Function-URL gateway's (LOCAL_ERRORS, whose keys are
 * LocalErrorCode), each in the API's error body. A body over the payload limit is the service's
 * `request_too_large`, so that clients see one error locally and behind the handler.
 */
import { maxHeaderSize } from "node:http";
import { errorsOf, type ErrorStatuses, type WorkflowError } from "@cvflow/engine";

export const LOCAL_ERRORS = {
  bad_request: 400,
  request_timeout: 408,
  request_headers_too_large: 431,
  gateway_error: 502,
  function_error: 502,
  function_timeout: 502,
  response_payload_too_large: 502,
} as const satisfies ErrorStatuses;
export type LocalErrorCode = keyof typeof LOCAL_ERRORS;

const localError = errorsOf(LOCAL_ERRORS);

export function requestHeadersTooLarge(): WorkflowError {
  return localError("request_headers_too_large", `The request's headers are over the ${maxHeaderSize}-byte limit`, { limit_bytes: maxHeaderSize });
}

export function requestTimeout(): WorkflowError {
  return localError("request_timeout", "The request did not arrive in time");
}

export function badRequest(): WorkflowError {
  return localError("bad_request", "The request is not valid HTTP/1.1");
}

export function gatewayFailed(): WorkflowError {
  return localError("gateway_error", "The gateway could not complete the request");
}

export function functionTimeout(timeoutMs: number): WorkflowError {
  return localError("function_timeout", `The function did not answer within its ${timeoutMs} ms timeout`);
}

export function functionFailed(requestId: string): WorkflowError {
  return localError("function_error", `The function failed (request id ${requestId})`);
}

export function responsePayloadTooLarge(limitBytes: number): WorkflowError {
  return localError("response_payload_too_large", `The function's response is over the ${limitBytes}-byte payload limit`);
}
