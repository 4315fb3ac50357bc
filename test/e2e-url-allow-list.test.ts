/**
 * CVFLOW_URL_ALLOW_HOSTS over real HTTP: the local stack started as `npm start` starts it, with
 * the variable naming one loopback test server by host:port. That server's images are fetched;
 * another loopback server and other private addresses are still refused (the same URL without the
 * variable is refused: e2e-roboflow-differences.test.ts).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { call, testStack } from "./local-stack.js";

let stack: LocalStack;
let png: Buffer;
const servers: { server: Server; port: number; requests: string[] }[] = [];

async function imageServer(): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(request.url ?? "");
    response.writeHead(200, { "content-type": "image/png", "content-length": png.length }).end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const entry = { server, port: (server.address() as AddressInfo).port, requests };
  servers.push(entry);
  return entry;
}

let allowed: { port: number; requests: string[] };
let unlisted: { port: number; requests: string[] };

beforeAll(async () => {
  png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#a04020" } }).png().toBuffer();
  allowed = await imageServer();
  unlisted = await imageServer();
  stack = await testStack({ env: { CVFLOW_URL_ALLOW_HOSTS: `images.internal, 127.0.0.1:${allowed.port}` } });
});
afterAll(async () => {
  await stack?.close();
  for (const { server } of servers) server.close();
});

const size = {
  version: "1.0",
  inputs: [{ type: "WorkflowImage", name: "image" }],
  steps: [{ type: "roboflow_core/property_definition@v1", name: "width", data: "$inputs.image", operations: [{ type: "ExtractImageProperty", property_name: "width" }] }],
  outputs: [{ type: "JsonField", name: "width", selector: "$steps.width.output" }],
};
const fetchVia = (url: string) => call(stack, "POST", "/workflows/run", { body: { specification: size, inputs: { image: { type: "url", value: url } } } });

describe("image URLs with CVFLOW_URL_ALLOW_HOSTS", () => {
  it("fetches from the listed loopback host:port", async () => {
    const response = await fetchVia(`http://127.0.0.1:${allowed.port}/store/a.png`);
    expect(response.status).toBe(200);
    expect(response.body.outputs).toEqual([{ width: 40 }]);
    expect(allowed.requests).toEqual(["/store/a.png"]);
  });

  it("still refuses another loopback port and other private or link-local addresses, without connecting", async () => {
    const cases: [string, string][] = [
      [`http://127.0.0.1:${unlisted.port}/a.png`, "loopback"],
      ["http://10.0.0.1/a.png", "private"],
      ["http://169.254.169.254/latest/meta-data/", "link-local"],
      ["http://[::1]:9/a.png", "loopback"],
    ];
    for (const [url, reason] of cases) {
      const response = await fetchVia(url);
      expect(response.status, url).toBe(400);
      expect(response.body.error, url).toMatchObject({ code: "url_not_allowed", details: { reason, pointer: "/inputs/image" } });
    }
    expect(unlisted.requests).toEqual([]);
  });
});
