/**
 * One call to a hosted model's API (callApi: any body, the 2xx answer as it came; callJsonApi:
 * JSON both ways), through the egress door (callOut: SSRF rules, the run's
 * signal), with the failures every provider shares mapped to cvflow's codes:
 * 401/403 provider_auth_failed; 429 provider_rate_limited once the retries are spent; any other
 * non-2xx, a connection that fails or an answer that is no JSON provider_error; no answer within
 * `timeoutMs` provider_timeout. Messages name the provider and the status, carry the provider's own
 * error text, and never a key (every `secrets` entry is masked, in messages and details alike).
 *
 * Retries: at most 2, only where a retry cannot do harm twice — 429, 5xx, and a connection that
 * failed — after the provider's Retry-After (seconds or a date) or else 0.5 s then 1 s. A wait
 * longer than MAX_RETRY_WAIT_MS is not waited for (the run's 20 s deadline would pass first), and
 * every wait ends when the run is cancelled or reaches its deadline.
 */
import { WorkflowError, type BlockContext } from "@cvflow/engine";
import type { SentResponse } from "@cvflow/vision";
import { callOut } from "../../../egress/egress.js";
import { providerFailed } from "../../../errors.js";
import { redactSecrets } from "../../../secrets_providers/secret.js";

interface ApiCallBase {
  /** The provider as messages name it: "OpenAI". */
  provider: string;
  url: string;
  /** Default POST. */
  method?: "POST" | "GET";
  headers?: Record<string, string>;
  /** Texts that must never reach an error (the API key). */
  secrets: readonly string[];
  /** For each attempt; default DEFAULT_LLM_TIMEOUT_MS. */
  timeoutMs?: number;
}

export interface ApiCall extends ApiCallBase {
  /** Sent as it is (a multipart form's bytes, with its content-type among `headers`). */
  body?: string | Uint8Array;
}

export interface JsonApiCall extends ApiCallBase {
  /** Sent as JSON. */
  body?: unknown;
}

/** Long enough for a model to write a long answer; the run's own deadline usually ends a call first. */
export const DEFAULT_LLM_TIMEOUT_MS = 60_000;
export const MAX_RETRIES = 2;
export const MAX_RETRY_WAIT_MS = 10_000;
const BACKOFF_MS = [500, 1000];

/** Sends `call.body` as JSON and answers the provider's JSON answer. */
export async function callJsonApi(ctx: BlockContext, call: JsonApiCall): Promise<unknown> {
  const response = await callApi(ctx, {
    ...call,
    headers: { accept: "application/json", ...(call.body === undefined ? {} : { "content-type": "application/json" }), ...call.headers },
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  return parsedAnswer(response, call);
}

/** Sends `call` and answers the provider's 2xx response as it came (any other status is thrown, mapped). */
export async function callApi(ctx: BlockContext, call: ApiCall): Promise<SentResponse> {
  const timeoutMs = call.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const request = { method: call.method ?? "POST", headers: call.headers ?? {}, ...(call.body === undefined ? {} : { body: call.body }) };
  for (let attempt = 0; ; attempt++) {
    let response: SentResponse;
    try {
      response = await callOut(ctx, call.url, request, { timeoutMs });
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      if (error.code === "url_timeout" && error.details["timeout_ms"] !== undefined) {
        throw providerFailed("provider_timeout", `${call.provider} did not answer within ${timeoutMs} ms`, { provider: call.provider, timeout_ms: timeoutMs });
      }
      const connectionFailed = error.code === "url_fetch_failed" && error.details["max_bytes"] === undefined;
      if (connectionFailed && attempt < MAX_RETRIES) {
        await pause(ctx, BACKOFF_MS[attempt]!);
        continue;
      }
      if (connectionFailed) {
        throw providerFailed("provider_error", `${call.provider} could not be reached: ${redactSecrets(error.message, call.secrets)}`, { provider: call.provider });
      }
      throw scrubbed(error, call.secrets);
    }
    const { status } = response;
    if (status >= 200 && status < 300) return response;
    if ((status === 429 || status >= 500) && attempt < MAX_RETRIES) {
      const wait = retryAfterMs(response) ?? BACKOFF_MS[attempt]!;
      if (wait <= MAX_RETRY_WAIT_MS) {
        await pause(ctx, wait);
        continue;
      }
    }
    throw statusError(response, call, attempt);
  }
}

function parsedAnswer(response: SentResponse, call: ApiCallBase): unknown {
  try {
    return JSON.parse(response.body.toString("utf8")) as unknown;
  } catch {
    throw providerFailed("provider_error", `${call.provider} answered ${response.status} with a body that is not JSON`, { provider: call.provider, status: response.status });
  }
}

function statusError(response: SentResponse, call: ApiCallBase, retries: number): WorkflowError {
  const { status } = response;
  const said = redactSecrets(providerMessage(response.body), call.secrets);
  const details: Record<string, unknown> = { provider: call.provider, status, provider_message: said };
  const tail = said ? `: ${said}` : "";
  if (status === 401 || status === 403) {
    return providerFailed("provider_auth_failed", `${call.provider} refused the API key given (${status})${tail}`, details);
  }
  if (status === 429) {
    const retryAfter = retryAfterMs(response);
    if (retryAfter !== undefined) details["retry_after_s"] = Math.ceil(retryAfter / 1000);
    return providerFailed("provider_rate_limited", `${call.provider} is rate limiting these calls (429, ${retries} ${retries === 1 ? "retry" : "retries"} made)${tail}`, details);
  }
  return providerFailed("provider_error", `${call.provider} answered ${status}${tail}`, details);
}

/** The provider's explanation: `error.message` (OpenAI, Anthropic, Gemini, OpenRouter), `message`, or the start of the text. */
function providerMessage(body: Buffer): string {
  const text = body.toString("utf8");
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof parsed.error === "object" ? parsed.error?.message : (parsed.error ?? parsed.message);
    if (typeof message === "string") return message.slice(0, 500);
  } catch {
    // not JSON: the text itself
  }
  return text.trim().slice(0, 500);
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(response: Pick<SentResponse, "headers">, now = Date.now()): number | undefined {
  const value = response.headers["retry-after"];
  if (typeof value !== "string" || value.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(at - now, 0);
}

/** Waits `ms`, unless the run is cancelled or reaches its deadline first (then its reason is thrown). */
function pause(ctx: BlockContext, ms: number): Promise<void> {
  const { signal } = ctx;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The egress error with every secret masked (a key in a URL's query would be in its message). */
function scrubbed(error: WorkflowError, secrets: readonly string[]): WorkflowError {
  const message = redactSecrets(error.message, secrets);
  const details = JSON.parse(redactSecrets(JSON.stringify(error.details), secrets)) as Record<string, unknown>;
  return message === error.message && JSON.stringify(details) === JSON.stringify(error.details) ? error : new WorkflowError(error.code, message, error.status, details);
}
