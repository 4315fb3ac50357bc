/**
 * One HTTP exchange with the API: auth header, JSON body, a timeout covering the answer's body
 * too, a retry where the answer's Retry-After says one can succeed (retry-after.ts), and every
 * failure turned into a CvflowError.
 */
import { isRecord } from "@cvflow/wire";
import { CvflowError, downloadFailed, httpError, invalidResponse, networkError, timeout, uploadFailed } from "./errors.js";
import { MAX_RETRIES, retryDelayMs } from "./retry-after.js";
import { sleep } from "./sleep.js";

export interface TransportOptions {
  baseUrl: string;
  credential: string | undefined;
  fetch: typeof fetch;
  timeoutMs: number;
}

export interface JsonRequest {
  body?: unknown;
  headers?: Record<string, string>;
}

export interface JsonResponse<T> {
  body: T;
  headers: Headers;
}

export class Transport {
  readonly #options: TransportOptions;

  constructor(options: TransportOptions) {
    this.#options = { ...options, baseUrl: options.baseUrl.replace(/\/+$/, "") };
  }

  /** A call to the API at `path` (already URL-encoded); resolves to its parsed JSON body. */
  async json<T>(method: string, path: string, request: JsonRequest = {}): Promise<JsonResponse<T>> {
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    if (this.#options.credential) headers["authorization"] = `Bearer ${this.#options.credential}`;
    let body: string | undefined;
    if (request.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(request.body);
    }
    const what = `${method} ${path}`;
    let answer = await this.exchange(`${this.#options.baseUrl}${path}`, { method, headers, body }, what);
    for (let retries = 0, delay = retryDelayMs(answer.status, answer.headers); retries < MAX_RETRIES && delay !== undefined; retries++) {
      await sleep(delay);
      answer = await this.exchange(`${this.#options.baseUrl}${path}`, { method, headers, body }, what);
      delay = retryDelayMs(answer.status, answer.headers);
    }
    const { status, body: text, headers: answered } = answer;
    if (status < 200 || status > 299) throw errorFromAnswer(status, text, what);
    try {
      return { body: JSON.parse(text) as T, headers: answered };
    } catch {
      throw invalidResponse(`${what} answered ${status} with a body that is not JSON: ${excerpt(text)}`, status);
    }
  }

  /**
   * A streaming GET of the API (an event stream): the response once its headers arrive, within the
   * timeout; its body is the caller's to read, as long as `signal` lets it. Not retried here.
   */
  async open(path: string, headers: Record<string, string>, signal: AbortSignal): Promise<Response> {
    const sent: Record<string, string> = { ...headers };
    if (this.#options.credential) sent["authorization"] = `Bearer ${this.#options.credential}`;
    const what = `GET ${path}`;
    const url = `${this.#options.baseUrl}${path}`;
    const connecting = AbortSignal.timeout(this.#options.timeoutMs);
    let response: Response;
    try {
      response = await this.#options.fetch(url, { method: "GET", headers: sent, signal: AbortSignal.any([signal, connecting]) });
    } catch (error) {
      if (connecting.aborted) throw timeout(`${what}: no answer within ${this.#options.timeoutMs} ms`, this.#options.timeoutMs, error);
      throw networkError(`${what}: cannot reach ${new URL(url).origin}: ${reason(error)}`, error);
    }
    if (response.status < 200 || response.status > 299) throw errorFromAnswer(response.status, await response.text(), what);
    return response;
  }

  /**
   * Bytes to a presigned URL. No Authorization header: the URL carries its own signature, and S3
   * refuses a request that carries two.
   */
  async put(url: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const { status, body: text } = await this.exchange(url, { method: "PUT", headers: { "content-type": contentType }, body: ownBuffer(bytes) }, "PUT upload");
    if (status < 200 || status > 299) {
      throw uploadFailed(`The upload of ${bytes.length} bytes answered ${status}: ${excerpt(text)}`, status);
    }
  }

  /** The bytes at a presigned URL (an offloaded image); no Authorization header, as for `put`. */
  async bytes(url: string, what: string): Promise<Uint8Array> {
    const { status, body } = await this.exchange(url, { method: "GET" }, `GET ${what}`, (response) => response.arrayBuffer());
    if (status < 200 || status > 299) throw downloadFailed(what, status, excerpt(new TextDecoder().decode(body)));
    return new Uint8Array(body);
  }

  /** The answer's status, headers and body as `read` reads it (text unless said otherwise). */
  private async exchange(url: string, init: RequestInit, what: string): Promise<{ status: number; body: string; headers: Headers }>;
  private async exchange<B>(url: string, init: RequestInit, what: string, read: (response: Response) => Promise<B>): Promise<{ status: number; body: B; headers: Headers }>;
  private async exchange(url: string, init: RequestInit, what: string, read: (response: Response) => Promise<unknown> = (response) => response.text()) {
    const signal = AbortSignal.timeout(this.#options.timeoutMs);
    try {
      const response = await this.#options.fetch(url, { ...init, signal });
      return { status: response.status, body: await read(response), headers: response.headers };
    } catch (error) {
      if (signal.aborted) {
        throw timeout(`${what}: no answer within ${this.#options.timeoutMs} ms`, this.#options.timeoutMs, error);
      }
      throw networkError(`${what}: cannot reach ${new URL(url).origin}: ${reason(error)}`, error);
    }
  }
}

/** The API's error envelope when there is one; otherwise what the status and body say. */
export function errorFromAnswer(status: number, text: string, what: string): CvflowError {
  let envelope: unknown;
  try {
    envelope = (JSON.parse(text) as { error?: unknown }).error;
  } catch {
    envelope = undefined;
  }
  if (isRecord(envelope) && typeof envelope["code"] === "string") {
    const message = typeof envelope["message"] === "string" ? envelope["message"] : `${what} answered ${status}`;
    return new CvflowError(envelope["code"], message, status, isRecord(envelope["details"]) ? envelope["details"] : {});
  }
  return httpError(`${what} answered ${status}${text ? `: ${excerpt(text)}` : ""}`, status);
}

/**
 * Bytes fetch can send: a view of an ArrayBuffer as it is (the DOM's BodyInit takes no view of a
 * SharedArrayBuffer), anything else copied into one.
 */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return isOnArrayBuffer(bytes) ? bytes : new Uint8Array(bytes);
}

function isOnArrayBuffer(bytes: Uint8Array): bytes is Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer;
}

/** fetch reports "fetch failed" and hides the socket error in its cause. */
function reason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
