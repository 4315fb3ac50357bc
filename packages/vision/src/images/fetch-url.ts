/**
 * Fetches an image URL given in a request without letting the request reach inside the network
 * it runs in (SSRF). Every hop is checked before anything is sent: the scheme (http, https), the
 * host against an optional allowlist, and every address the host resolves to (see
 * address-class.ts), unless the deployment allows that host or address (url-allow-list.ts). The connection then goes to the address that was checked — the socket
 * never resolves the name again, so DNS rebinding between check and connect changes nothing.
 * Redirects are followed by hand, each one checked like the first URL. One timeout covers the
 * whole fetch (hops and body), and the body is cut off as soon as it passes the size limit.
 */
import type { LookupAddress } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { imageTooLarge, readCapped, withArticle, WorkflowError } from "@cvflow/engine";
import { invalidImageInput, urlFetchFailed, urlNotAllowed, urlTimeout } from "../errors.js";
import { classifyAddress } from "./address-class.js";
import { DEFAULT_MAX_BYTES } from "./decode-image.js";
import type { UrlAllowList } from "./url-allow-list.js";

export const DEFAULT_URL_TIMEOUT_MS = 5000;
export const MAX_REDIRECTS = 5;

export interface UrlPolicy {
  /** When set, only these hosts may be fetched: exact names, or "*.example.com" for its subdomains. */
  allowedHosts?: readonly string[];
  /**
   * URLs exempt from the address check and the allowlist: in development, the presigned addresses
   * the service issued on its local S3 server (a whole origin would open every object there, and
   * anything else listening on it). None by default.
   */
  allowPrivate?: (url: URL) => boolean;
  /**
   * Hosts and address ranges a deployment lets URLs reach although they are not public
   * (CVFLOW_URL_ALLOW_HOSTS, url-allow-list.ts). None by default.
   */
  allowList?: UrlAllowList;
  /** For the whole fetch, redirects and body included; default 5000. */
  timeoutMs?: number;
  /** Resolves a host name to all its addresses; default node:dns `lookup`. */
  lookup?: (hostname: string) => Promise<LookupAddress[]>;
}

export interface FetchUrlOptions extends UrlPolicy {
  /** Largest body accepted, in bytes; default 20 MiB. */
  maxBytes?: number;
  /** The run's signal: cancellation or its deadline stops the fetch. */
  signal?: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function fetchUrl(url: string, options: FetchUrlOptions = {}): Promise<Buffer> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_URL_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let target = parseUrl(url);
  try {
    for (let hop = 0; ; hop++) {
      signal.throwIfAborted();
      const addresses = await abortable(checkedAddresses(target, options), signal);
      const response = await get(target, addresses, signal);
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        response.destroy();
        if (hop === MAX_REDIRECTS) throw fetchFailed(target, `more than ${MAX_REDIRECTS} redirects`, { redirects: hop });
        target = redirectTarget(target, response.headers.location);
        continue;
      }
      if (status < 200 || status > 299) {
        response.destroy();
        throw fetchFailed(target, `the server answered ${status}`, { status });
      }
      return await readBody(response, options.maxBytes ?? DEFAULT_MAX_BYTES);
    }
  } catch (error) {
    if (error instanceof WorkflowError) throw error;
    if (options.signal?.aborted) {
      const reason: unknown = options.signal.reason;
      if (reason instanceof WorkflowError) throw reason;
      throw urlTimeout(shown(target));
    }
    if (timeout.aborted) throw urlTimeout(shown(target), timeoutMs);
    throw fetchFailed(target, error instanceof Error ? error.message : String(error));
  }
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw invalidImageInput(`"${text.slice(0, 100)}" is not a valid URL`);
  }
}

function redirectTarget(from: URL, location: string | undefined): URL {
  if (!location) throw fetchFailed(from, "a redirect without a Location header");
  try {
    return new URL(location, from);
  } catch {
    throw fetchFailed(from, `a redirect to an invalid location "${location.slice(0, 100)}"`);
  }
}

/** The addresses `url`'s host resolves to, all of them allowed; throws url_not_allowed otherwise. */
async function checkedAddresses(url: URL, policy: UrlPolicy): Promise<LookupAddress[]> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw notAllowed(url, `the scheme "${url.protocol.slice(0, -1)}" is not allowed, only http and https`, { reason: "scheme" });
  }
  const host = bareHost(url);
  const exempt = (policy.allowPrivate?.(url) ?? false) || (policy.allowList?.allowsHost(url) ?? false);
  if (!exempt && policy.allowedHosts && !policy.allowedHosts.some((allowed) => hostMatches(host, allowed))) {
    throw notAllowed(url, `the host "${host}" is not in the list of allowed hosts`, { reason: "host_not_allowed", host });
  }
  const addresses = await resolve(url, host, policy);
  if (exempt) return addresses;
  for (const { address } of addresses) {
    const kind = classifyAddress(address);
    if (kind && !policy.allowList?.allowsAddress(address)) {
      const resolved = address === host ? "" : ` resolves to ${address}, which`;
      throw notAllowed(url, `the host "${host}"${resolved} is ${withArticle(kind)} address; only public addresses may be fetched`, { reason: kind, host, address });
    }
  }
  return addresses;
}

async function resolve(url: URL, host: string, policy: UrlPolicy): Promise<LookupAddress[]> {
  const family = isIP(host);
  if (family) return [{ address: host, family }];
  try {
    const addresses = await (policy.lookup ?? ((name) => dnsLookup(name, { all: true, order: "verbatim" })))(host);
    if (addresses.length > 0) return addresses;
  } catch {
    // reported below, the same way as an empty answer
  }
  throw fetchFailed(url, `the host "${host}" could not be resolved`, { host });
}

/**
 * Checks `url` against the policy as fetchUrl and sendUrl do, sending nothing: throws
 * url_not_allowed (url_fetch_failed for a host that does not resolve).
 */
export async function checkUrl(url: string, options: UrlPolicy = {}): Promise<void> {
  await checkedAddresses(parseUrl(url), options);
}

/** A request other than fetchUrl's GET of an image: a webhook's POST, a call to a provider's API. */
export interface SendRequest {
  method: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** The run's signal: cancellation or its deadline stops the request (its reason is thrown). */
  signal?: AbortSignal;
  /** Largest answer accepted, in bytes; default 20 MiB. */
  maxBytes?: number;
  /** true: only the status matters — the answer's body is drained and dropped, whatever its size. */
  discardBody?: boolean;
}

export interface SentResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends `request` to `url` under the same policy as fetchUrl: http(s) only, the host allowed, every
 * address it resolves to public (or allowed), the connection pinned to the checked addresses. No
 * redirect is followed: a 3xx is answered like any other status, which the caller judges. Throws
 * url_not_allowed, url_fetch_failed (no answer, or one larger than `maxBytes`), url_timeout after
 * `timeoutMs`, or the signal's reason.
 */
export async function sendUrl(url: string, request: SendRequest, policy: UrlPolicy = {}): Promise<SentResponse> {
  const timeoutMs = policy.timeoutMs ?? DEFAULT_URL_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const target = parseUrl(url);
  try {
    const addresses = await abortable(checkedAddresses(target, policy), signal);
    const response = await get(target, addresses, signal, request);
    if (request.discardBody) {
      response.resume();
      return { status: response.statusCode ?? 0, headers: response.headers, body: Buffer.alloc(0) };
    }
    const maxBytes = request.maxBytes ?? DEFAULT_MAX_BYTES;
    const declared = response.headers["content-length"];
    const body = await readCapped(response, {
      maxBytes,
      declaredBytes: declared === undefined ? undefined : Number(declared),
      tooLarge: (bytes) => fetchFailed(target, `the answer is larger than ${maxBytes} bytes`, { bytes, max_bytes: maxBytes }),
    });
    return { status: response.statusCode ?? 0, headers: response.headers, body };
  } catch (error) {
    if (error instanceof WorkflowError) throw error;
    if (request.signal?.aborted) {
      const reason: unknown = request.signal.reason;
      if (reason instanceof WorkflowError) throw reason;
      throw urlTimeout(shown(target));
    }
    if (timeout.aborted) throw urlTimeout(shown(target), timeoutMs);
    throw fetchFailed(target, error instanceof Error ? error.message : String(error));
  }
}

/**
 * The addresses `host` resolves to, each allowed by the policy as a URL's host would be, for a
 * connection that is not HTTP (SMTP on `port`: an allow-list entry `host:port` matches it): connect
 * to one of these, never to the name again.
 */
export async function allowedAddresses(host: string, port: number, policy: UrlPolicy = {}): Promise<LookupAddress[]> {
  const bracketed = isIP(host) === 6 ? `[${host}]` : host;
  return checkedAddresses(parseUrl(`http://${bracketed}:${port}`), policy);
}

function get(url: URL, addresses: LookupAddress[], signal: AbortSignal, send?: SendRequest): Promise<IncomingMessage> {
  // The socket asks this lookup instead of DNS: it can only connect to the checked addresses.
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      {
        hostname: bareHost(url),
        port: url.port || undefined,
        path: url.pathname + url.search,
        method: send?.method ?? "GET",
        headers: send
          ? { "user-agent": "cvflow", ...(send.body === undefined ? {} : { "content-length": String(Buffer.byteLength(send.body)) }), ...send.headers }
          : { accept: "image/*", "user-agent": "cvflow" },
        lookup: pinned,
        agent: false, // no pooled sockets: each request connects to what its own check allowed
        signal,
      },
      resolve,
    );
    request.on("error", reject);
    request.end(send?.body);
  });
}

function readBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = response.headers["content-length"];
  return readCapped(response, { maxBytes, declaredBytes: declared === undefined ? undefined : Number(declared), tooLarge: (bytes) => imageTooLarge(bytes, maxBytes) });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** The host without IPv6 brackets or a trailing dot, as DNS and the address check see it. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
}

function hostMatches(host: string, allowed: string): boolean {
  const pattern = allowed.toLowerCase().replace(/\.$/, "");
  return pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern;
}

/** The URL as errors show it: without its query, which may hold a presigned URL's signature. */
function shown(url: URL): string {
  return url.protocol === "http:" || url.protocol === "https:" ? url.origin + url.pathname : url.href.slice(0, 100);
}

function notAllowed(url: URL, why: string, details: Record<string, unknown>): WorkflowError {
  return urlNotAllowed(shown(url), why, details);
}

function fetchFailed(url: URL, why: string, details: Record<string, unknown> = {}): WorkflowError {
  return urlFetchFailed(shown(url), why, details);
}
