/** Webhooks: a signed POST of the run's record to a receiver on loopback (allowed by the deployment's list), each try in the record's deliveries. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseUrlAllowList } from "@cvflow/vision";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notificationUrlCheck, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature, webhookDelivery, type WebhookBody } from "../src/webhooks.js";
import { ECHO_WORKFLOW, request, useRuns } from "./runs-fixture.js";

const f = useRuns();
const SECRET = "webhook-secret";
const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
let answer = 200;
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answer;
      res.end();
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

// The receiver is on loopback: the deployment lists it, as CVFLOW_URL_ALLOW_HOSTS would.
const policy = () => ({ allowList: parseUrlAllowList(new URL(url).host)! });

describe("webhooks", () => {
  it("POSTs the record signed with HMAC-SHA256 of the raw body; the delivery is recorded", async () => {
    const record = await f.runs.runSync(request(ECHO_WORKFLOW, { x: 1 }, { notificationUrl: url }), new AbortController().signal);
    answer = 204;
    await webhookDelivery({ store: f.store, secret: SECRET, policy: policy() })(record, 1);
    const got = received.at(-1)!;
    expect(verifyWebhookSignature(SECRET, got.body, got.headers[SIGNATURE_HEADER] as string)).toBe(true);
    expect(verifyWebhookSignature("another", got.body, got.headers[SIGNATURE_HEADER] as string)).toBe(false);
    const body = JSON.parse(got.body) as WebhookBody;
    expect(body).toMatchObject({ type: "run_finished", run: { id: record.id, status: "succeeded", outputs: [{ x: 1 }] } });
    expect(String(body.sent_at)).toBe(got.headers[TIMESTAMP_HEADER]);
    expect((await f.runs.get(record.id))!.deliveries).toEqual([expect.objectContaining({ attempt: 1, status: 204, delivered: true })]);
  });

  it("a try the receiver refuses throws (to be tried again) and is recorded with its status", async () => {
    const { record } = await f.runs.runInProcess(request(ECHO_WORKFLOW, { x: 2 }, { notificationUrl: url }), new AbortController().signal);
    answer = 503;
    const deliver = webhookDelivery({ store: f.store, secret: SECRET, policy: policy() });
    await expect(deliver(record, 1)).rejects.toThrow(/not delivered/);
    answer = 200;
    await deliver(record, 2);
    expect((await f.runs.get(record.id))!.deliveries).toEqual([
      expect.objectContaining({ attempt: 1, status: 503, delivered: false }),
      expect.objectContaining({ attempt: 2, status: 200, delivered: true }),
    ]);
  });

  it("a private address the deployment does not list is never called", async () => {
    const { record } = await f.runs.runInProcess(request(ECHO_WORKFLOW, { x: 3 }, { notificationUrl: url }), new AbortController().signal);
    const before = received.length;
    await expect(webhookDelivery({ store: f.store, secret: SECRET })(record, 1)).rejects.toThrow(/not delivered/);
    expect(received.length).toBe(before);
    expect((await f.runs.get(record.id))!.deliveries[0]).toMatchObject({ delivered: false, error: expect.stringMatching(/may not be fetched/) });
  });

  it("at the start: a URL the policy forbids is refused (400 url_not_allowed), and so is any without a secret (501)", async () => {
    await expect(notificationUrlCheck({ secret: SECRET })(url)).rejects.toMatchObject({ code: "url_not_allowed", status: 400 });
    await expect(notificationUrlCheck({ secret: SECRET })("not a url")).rejects.toMatchObject({ code: "url_not_allowed" });
    await expect(notificationUrlCheck({ secret: SECRET, policy: policy() })(url)).resolves.toBeUndefined();
    await expect(notificationUrlCheck({ secret: undefined, policy: policy() })(url)).rejects.toMatchObject({ code: "runs_not_configured", status: 501 });
  });
});
