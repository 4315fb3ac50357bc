/**
 * The one door out of a run: every call a block makes to another service (a sink's webhook, a
 * provider's model API) goes through `callOut`, held to the same SSRF rules as image URLs — http(s)
 * only, the deployment's host allow-list, every resolved address public unless
 * CVFLOW_URL_ALLOW_HOSTS allows it, the connection pinned to the checked address — and stopped by
 * the run's cancellation or deadline. Where each provider lives can be moved (a proxy, a test's
 * server on loopback) with CVFLOW_<PROVIDER>_BASE_URL; the blocks name the official address.
 */
import type { BlockContext } from "@cvflow/engine";
import { allowedAddresses, sendUrl, type SendRequest, type SentResponse, type UrlPolicy } from "@cvflow/vision";
import type { LookupAddress } from "node:dns";
import type { S3SinkSettings } from "../sinks/s3-sink-settings.js";
import type { Provider } from "./endpoints.js";

export { endpointsFromEnv, PROVIDERS, type Provider } from "./endpoints.js";

export interface Egress {
  /** The SSRF rules every outbound call obeys (the image URLs' policy of the deployment). */
  urlPolicy: UrlPolicy;
  /** Base URLs replacing the providers' official ones. */
  endpoints?: Partial<Record<Provider, string>>;
  /** Where s3_sink may write and how (the deployment's bucket and role); without it s3_sink cannot run. */
  s3?: S3SinkSettings;
  /**
   * The folder local_file_sink writes under (CVFLOW_LOCAL_FILE_ROOT): its target_directory is
   * taken relative to it, and an absolute one must lie inside it. The deployed functions use /tmp
   * (the only place a Lambda can write), the local stack its data folder's `files`, the CLI the
   * current folder. Unset: the sink cannot run.
   */
  localFileRoot?: string;
}

declare module "@cvflow/engine" {
  interface BlockServices {
    /** What lets blocks call out; without it, only public addresses and the official endpoints. */
    egress?: Egress;
    /** The run asked `disable_sinks`: every sink answers that it was disabled and sends nothing. */
    sinksDisabled?: boolean;
  }
}

/** The base URL to call `provider` at, without a trailing slash: the deployment's, else `officialBase`. */
export function endpoint(ctx: BlockContext, provider: Provider, officialBase: string): string {
  return (ctx.services.egress?.endpoints?.[provider] ?? officialBase).replace(/\/+$/, "");
}

export function sinksDisabled(ctx: BlockContext): boolean {
  return ctx.services.sinksDisabled === true;
}

export interface CallOptions {
  /** For the whole call (connect, send, answer); default 5000 ms. The run's deadline applies as well. */
  timeoutMs?: number;
}

/** Sends `request` under the deployment's rules and the run's signal; any status is answered, the caller judges it. */
export function callOut(ctx: BlockContext, url: string, request: Omit<SendRequest, "signal">, options: CallOptions = {}): Promise<SentResponse> {
  const policy = ctx.services.egress?.urlPolicy ?? {};
  return sendUrl(url, { ...request, signal: ctx.signal }, { ...policy, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
}

/** The addresses a connection that is not HTTP (SMTP) may use for `host`:`port`, checked as callOut checks a URL's. */
export function checkHost(ctx: BlockContext, host: string, port: number): Promise<LookupAddress[]> {
  return allowedAddresses(host, port, ctx.services.egress?.urlPolicy ?? {});
}
