/** The default fetch where the SDK runs in a browser: the window's fetch throws "Illegal invocation" when called with another `this`. */
import { afterEach, expect, it, vi } from "vitest";
import { CvflowClient } from "../src/index.js";

afterEach(() => {
  vi.unstubAllGlobals();
});

it("calls the global fetch with no receiver of its own (as a browser's fetch requires)", async () => {
  const calls: string[] = [];
  vi.stubGlobal("fetch", function (this: unknown, input: string | URL | Request) {
    if (this !== undefined && this !== globalThis) throw new TypeError("Failed to execute 'fetch' on 'Window': Illegal invocation");
    calls.push(String(input));
    return Promise.resolve(Response.json({ status: "ok", version: "1" }));
  });
  const client = new CvflowClient({ baseUrl: "http://127.0.0.1:1", apiKey: "k" });
  expect(await client.health()).toEqual({ status: "ok", version: "1" });
  expect(calls).toEqual(["http://127.0.0.1:1/health"]);
});
