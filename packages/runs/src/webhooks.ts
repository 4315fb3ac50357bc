/**
 * A run's webhook (`notification_url`): when the run ends, a POST of its record, signed with
 * HMAC-SHA256 of the raw body under CVFLOW_WEBHOOK_SECRET (`X-Cvflow-Signature: sha256=<hex>`,
 * beside `X-Cvflow-Timestamp`, Unix seconds, also in the body as `sent_at`). The URL is held to
 * the image URLs' rules (http(s), the deployment's allow-list, public addresses only; no
 * redirects). Each try is appended to the record's `deliveries`; the durable handler tries again
 * with backoff while a try throws.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { WorkflowError } from "@cvflow/engine";
import { checkUrl, sendUrl, urlNotAllowed, type UrlPolicy } from "@cvflow/vision";
import { runsNotConfigured } from "./errors.js";
import type { RunRecord, WebhookDelivery } from "./run-record.js";
import type { RunStore } from "./run-store.js";

export const SIGNATURE_HEADER = "x-cvflow-signature";
export const TIMESTAMP_HEADER = "x-cvflow-timestamp";
/** A try's whole time: resolving, connecting, the receiver's answer. */
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookOptions {
  store: RunStore;
  /** CVFLOW_WEBHOOK_SECRET; without it a run with a notification_url is refused. */
  secret: string | undefined;
  /** The image URL policy of the deployment (allow-list, exemptions). */
  policy?: UrlPolicy;
  now?: () => number;
}

/** What the receiver gets: the event and the run's record as the API shows it. */
export interface WebhookBody {
  type: "run_finished";
  /** Unix seconds; the same as X-Cvflow-Timestamp. */
  sent_at: number;
  run: RunRecord;
}

/** `sha256=<hex>` of the body under the secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Whether `signature` (the header's value) is the body's under the secret: what a receiver checks. */
export function verifyWebhookSignature(secret: string, body: string, signature: string): boolean {
  const expected = Buffer.from(webhookSignature(secret, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Refuses, at the run's start, a notification_url that will not be delivered: no secret, or a URL the policy forbids. */
export function notificationUrlCheck(options: Pick<WebhookOptions, "secret" | "policy">): (url: string) => Promise<void> {
  return async (url) => {
    if (!options.secret) throw runsNotConfigured("Webhooks are not configured on this deployment (CVFLOW_WEBHOOK_SECRET): start the run without notification_url");
    if (!URL.canParse(url)) throw urlNotAllowed(url.slice(0, 100), "it is not a URL", { field: "notification_url" });
    // A host that does not resolve now is only a failed delivery later; a forbidden one is refused now.
    await checkUrl(url, options.policy).catch((error: unknown) => {
      if (error instanceof WorkflowError && error.code === "url_not_allowed") throw error;
    });
  };
}

/**
 * One try of the run's webhook (`delivery`: 1, 2, ...), recorded in `record.deliveries`; throws
 * when it was not delivered (no 2xx), so that the durable step tries again.
 */
export function webhookDelivery(options: WebhookOptions): (record: RunRecord, delivery: number) => Promise<void> {
  const now = options.now ?? Date.now;
  return async (record, delivery) => {
    const url = record.notificationUrl;
    if (!url) return;
    if (!options.secret) throw runsNotConfigured("Webhooks are not configured on this deployment (CVFLOW_WEBHOOK_SECRET)");
    const sentAt = Math.floor(now() / 1000);
    const body = JSON.stringify({ type: "run_finished", sent_at: sentAt, run: record } satisfies WebhookBody);
    const headers = { "content-type": "application/json", [SIGNATURE_HEADER]: webhookSignature(options.secret, body), [TIMESTAMP_HEADER]: String(sentAt) };
    const tried: WebhookDelivery = { attempt: delivery, at: new Date(now()).toISOString(), delivered: false };
    try {
      tried.status = (await sendUrl(url, { method: "POST", headers, body, discardBody: true }, { ...options.policy, timeoutMs: WEBHOOK_TIMEOUT_MS })).status;
      tried.delivered = tried.status >= 200 && tried.status < 300;
      if (!tried.delivered) tried.error = `the receiver answered ${tried.status}`;
    } catch (error) {
      tried.error = error instanceof Error ? error.message : String(error);
    }
    await options.store.update(record.id, (r) => ({ ...r, deliveries: [...r.deliveries, tried] }));
    if (!tried.delivered) throw new Error(`The webhook of run ${record.id} was not delivered (try ${delivery}): ${tried.error}`);
  };
}
