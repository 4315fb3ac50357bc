/**
 * A run's webhook end to end on the local stack: an async run with a `notification_url` finishes,
 * the durable function's `notify` step POSTs the run signed with CVFLOW_WEBHOOK_SECRET to a
 * receiver on loopback (allowed by CVFLOW_URL_ALLOW_HOSTS), tries again after a failed delivery,
 * and the record lists both tries.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LocalStack } from "@cvflow/local";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhookSignature, type WebhookBody } from "@cvflow/runs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, testStack } from "./local-stack.js";

const SECRET = "e2e-webhook-secret";
const ECHO = {
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "value" }],
  steps: [{ type: "roboflow_core/first_non_empty_or_default@v1", name: "echo", data: ["$inputs.value"] }],
  outputs: [{ type: "JsonField", name: "value", selector: "$steps.echo.output" }],
};

const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
/** The receiver's answers, one per delivery. */
const answers = [503, 204];
let receiver: Server;
let delivered: PromiseWithResolvers<void>;
let stack: LocalStack;

beforeAll(async () => {
  delivered = Promise.withResolvers();
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.statusCode = answers[received.length - 1] ?? 500;
      response.end();
      if (response.statusCode < 300) delivered.resolve();
    });
  });
  await new Promise<void>((ready) => receiver.listen(0, "127.0.0.1", ready));
  const { port } = receiver.address() as AddressInfo;
  stack = await testStack({ env: { CVFLOW_WEBHOOK_SECRET: SECRET, CVFLOW_URL_ALLOW_HOSTS: `127.0.0.1:${port}` } });
});

afterAll(async () => {
  await stack?.close();
  await new Promise((closed) => receiver.close(closed));
});

describe("a run's webhook on the local stack", () => {
  it("arrives signed after the run finished, tried again after the receiver failed once; the record lists the tries", async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const started = await call(stack, "POST", "/workflows/runs", { body: { specification: ECHO, inputs: { value: "hi" }, notification_url: url } });
    expect(started.status).toBe(202);
    await delivered.promise;

    expect(received).toHaveLength(2);
    for (const { headers, body } of received) {
      expect(headers["content-type"]).toBe("application/json");
      expect(verifyWebhookSignature(SECRET, body, headers[SIGNATURE_HEADER] as string)).toBe(true);
      const sent = JSON.parse(body) as WebhookBody;
      expect(sent).toMatchObject({ type: "run_finished", run: { id: started.body.id, status: "succeeded", outputs: [{ value: "hi" }] } });
      expect(headers[TIMESTAMP_HEADER]).toBe(String(sent.sent_at));
    }
    expect(verifyWebhookSignature("another-secret", received[1]!.body, received[1]!.headers[SIGNATURE_HEADER] as string)).toBe(false);

    // The second try's delivery is recorded once the notify step has written it.
    for (;;) {
      const { body: record } = await call(stack, "GET", `/runs/${started.body.id}`);
      if (record.deliveries.length === 2) {
        expect(record.deliveries).toEqual([
          expect.objectContaining({ attempt: 1, status: 503, delivered: false }),
          expect.objectContaining({ attempt: 2, status: 204, delivered: true }),
        ]);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
