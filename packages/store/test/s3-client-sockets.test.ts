/**
 * createS3Client's maxSockets: how many requests are in flight at once against one host. A server
 * on loopback holds every request until as many as can arrive have arrived, and counts them.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { expect, it } from "vitest";
import { createS3Client } from "../src/s3-client.js";

/** The most requests the server held at once when `requests` GETs were sent together. */
async function mostInFlight(maxSockets: number | undefined, requests: number): Promise<number> {
  let open = 0;
  let most = 0;
  const held: ServerResponse[] = [];
  const release = (): void => {
    for (const response of held.splice(0)) response.writeHead(200, { "content-length": "2" }).end("ok");
  };
  const server = createServer((_, response) => {
    open += 1;
    most = Math.max(most, open);
    response.on("finish", () => (open -= 1));
    held.push(response);
    // Answer once no more requests come in for a moment: the client sent all it could.
    clearTimeout(timer);
    timer = setTimeout(release, 100);
  });
  let timer = setTimeout(() => undefined, 0);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const client = createS3Client({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: "a", secretAccessKey: "b" },
    ...(maxSockets === undefined ? {} : { maxSockets }),
  });
  try {
    await Promise.all(Array.from({ length: requests }, (_, i) => client.send(new GetObjectCommand({ Bucket: "b", Key: `k${i}` })).then((r) => r.Body?.transformToString())));
    return most;
  } finally {
    client.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

it("sends at most maxSockets requests at once, and the SDK's 50 without it", async () => {
  expect(await mostInFlight(4, 12)).toBe(4);
  expect(await mostInFlight(undefined, 80)).toBe(50);
  expect(await mostInFlight(128, 80)).toBe(80);
});
