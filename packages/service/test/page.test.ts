/**
 * The debugger page's routes through `handle`: `/` (the page, or who a credential is), `/ui/{path}`
 * (its files), compressed as accepted, cached by ETag, with the page's security headers; 503 while
 * the page is not built, 404 for a file it does not have. Over HTTP: functions/test/page.test.ts
 * (the adapters), test/e2e-page.test.ts (the local stack).
 */
import { createHash, randomUUID } from "node:crypto";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { MEMORY_BLOB_ENDPOINT } from "@cvflow/store/memory";
import { describe, expect, it } from "vitest";
import { asksForHtml, chooseEncoding } from "../src/content-negotiation.js";
import type { HttpResponse } from "../src/http.js";
import { reservedWorkspaceNames } from "../src/reserved-workspaces.js";
import type { StaticSite } from "../src/static-site.js";
import { createTestService, ECHO_WORKFLOW, TEST_KEYS, TEST_WORKSPACE } from "../src/testing/index.js";

/** A script large enough to be worth compressing, small enough to read in a failure. */
const SCRIPT = `export const steps = [${Array.from({ length: 400 }, (_, i) => `"step-${i}"`).join(", ")}];\n`;
const INDEX = `<!doctype html><html><head><script type="module" src="/ui/assets/index-a1b2.js"></script></head><body><div id="app"></div>${"<!-- padding -->".repeat(80)}</body></html>`;
const ICON = Uint8Array.from({ length: 256 }, (_, i) => i);
const BUILT = new Map<string, Uint8Array>([
  ["index.html", Buffer.from(INDEX)],
  ["assets/index-a1b2.js", Buffer.from(SCRIPT)],
  ["favicon.png", ICON],
]);

/** A site, built or not yet (its build can be given later); counts how often it is read. */
function site(built = true) {
  const state: { files: ReadonlyMap<string, Uint8Array> | undefined; reads: number } = { files: built ? BUILT : undefined, reads: 0 };
  const staticSite: StaticSite = {
    files: async () => {
      state.reads += 1;
      return state.files;
    },
  };
  return { state, staticSite };
}

/** `null`: a service given no page. */
async function pageService(ui: StaticSite | null = site().staticSite) {
  const { service } = await createTestService(ui ? { ui } : {});
  return (method: string, path: string, headers: Record<string, string> = {}) => {
    const [pathname, query = ""] = path.split("?") as [string, string?];
    return service.handle({ method, path: pathname, query, headers, requestId: randomUUID() });
  };
}

/** The bytes a buffered answer carries. */
function bytes(response: HttpResponse): Buffer {
  if (response.stream) throw new Error("a stream");
  return Buffer.from(response.body, response.isBase64Encoded ? "base64" : "utf8");
}

function json(response: HttpResponse): any {
  expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
  return JSON.parse(bytes(response).toString("utf8"));
}

describe("the page at /", () => {
  it("answers index.html, uncompressed unless asked, with the page's security headers", async () => {
    const request = await pageService();
    const response = await request("GET", "/", { accept: "text/html,application/xhtml+xml,*/*;q=0.8" });
    expect(response.statusCode).toBe(200);
    expect(response).toMatchObject({ isBase64Encoded: true });
    expect(bytes(response).toString("utf8")).toBe(INDEX);
    expect(response.headers).toMatchObject({
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      vary: "accept-encoding, accept, authorization",
    });
    expect(response.headers["content-encoding"]).toBeUndefined();
    // The S3 origin is the one the service's presigned URLs name (here the memory store's).
    const origin = new URL(MEMORY_BLOB_ENDPOINT).origin;
    expect(response.headers["content-security-policy"]).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: ${origin}; connect-src 'self' ${origin}; media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`,
    );
  });

  it("compresses with brotli or gzip as Accept-Encoding weighs them, each encoding with its own ETag", async () => {
    const request = await pageService();
    const br = await request("GET", "/", { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(brotliDecompressSync(bytes(br)).toString("utf8")).toBe(INDEX);
    expect(bytes(br).length).toBeLessThan(INDEX.length / 4);
    const gzip = await request("GET", "/", { "accept-encoding": "br;q=0.5, gzip" });
    expect(gzip.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(bytes(gzip)).toString("utf8")).toBe(INDEX);
    const identity = await request("GET", "/", { "accept-encoding": "br;q=0, gzip;q=0" });
    expect(identity.headers["content-encoding"]).toBeUndefined();
    const tags = [br, gzip, identity].map((r) => r.headers["etag"]);
    expect(new Set(tags).size).toBe(3);
    const hash = createHash("sha256").update(INDEX).digest("hex").slice(0, 20);
    expect(tags).toEqual([`"${hash}-br"`, `"${hash}-gzip"`, `"${hash}"`]);
  });

  it("answers 304 without a body when If-None-Match names the ETag of what it would send", async () => {
    const request = await pageService();
    const first = await request("GET", "/", { "accept-encoding": "br" });
    const again = await request("GET", "/", { "accept-encoding": "br", "if-none-match": `W/"other", ${first.headers["etag"]}` });
    expect(again.statusCode).toBe(304);
    expect(bytes(again).length).toBe(0);
    expect(again.headers).toMatchObject({ etag: first.headers["etag"], "cache-control": "no-cache" });
    // Another encoding's ETag is another representation: sent whole.
    expect((await request("GET", "/", { "accept-encoding": "gzip", "if-none-match": first.headers["etag"]! })).statusCode).toBe(200);
  });

  it("answers HEAD with GET's headers", async () => {
    const request = await pageService();
    const [get, head] = [await request("GET", "/"), await request("HEAD", "/")];
    expect(head.statusCode).toBe(200);
    expect({ ...head.headers, "x-request-id": "" }).toEqual({ ...get.headers, "x-request-id": "" });
  });

  it("reads the build once, compressed then; while it is not built, 503 ui_not_built saying how to build it, asked again each time", async () => {
    const { state, staticSite } = site(false);
    const request = await pageService(staticSite);
    const unbuilt = await request("GET", "/", { accept: "text/html" });
    expect(unbuilt.statusCode).toBe(503);
    const message = "The debugger page is not built on this server: run `npm run build:ui` (npm start and the image build run it when the page's sources changed)";
    expect(json(unbuilt)).toEqual({ error: { code: "ui_not_built", message, status: 503, details: { request_id: unbuilt.headers["x-request-id"] } }, message, error_type: "ui_not_built" });
    expect((await request("GET", "/ui/assets/index-a1b2.js")).statusCode).toBe(503);
    expect(state.reads).toBe(2);
    state.files = BUILT;
    expect((await request("GET", "/")).statusCode).toBe(200);
    expect((await request("GET", "/ui/assets/index-a1b2.js")).statusCode).toBe(200);
    expect(state.reads).toBe(3);
  });

  it("is 503 on a service given no page", async () => {
    const request = await pageService(null);
    expect(json(await request("GET", "/")).error.code).toBe("ui_not_built");
  });
});

describe("the page's files at /ui/{path}", () => {
  it("answers a hashed asset cached for good, a file not named by its hash revalidated, bytes as built", async () => {
    const request = await pageService();
    const script = await request("GET", "/ui/assets/index-a1b2.js", { "accept-encoding": "gzip" });
    expect(script.statusCode).toBe(200);
    expect(script.headers).toMatchObject({ "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable", "content-encoding": "gzip", vary: "accept-encoding" });
    expect(gunzipSync(bytes(script)).toString("utf8")).toBe(SCRIPT);
    // Only the page carries the policy.
    expect(script.headers["content-security-policy"]).toBeUndefined();
    const icon = await request("GET", "/ui/favicon.png", { "accept-encoding": "br, gzip" });
    expect(icon.headers).toMatchObject({ "content-type": "image/png", "cache-control": "no-cache" });
    // A PNG is not compressed again; its bytes, all 256 values, come back as they are.
    expect(icon.headers["content-encoding"]).toBeUndefined();
    expect([...bytes(icon)]).toEqual([...ICON]);
  });

  it("answers a file the build does not have with 404 route_not_found, and a path outside it the same", async () => {
    const request = await pageService();
    for (const path of ["/ui/assets/missing-0000.js", "/ui/../index.html", "/ui", "/ui/index.html/x"]) {
      const response = await request("GET", path);
      expect([path, response.statusCode, json(response).error.code]).toEqual([path, 404, "route_not_found"]);
    }
    expect(json(await request("GET", "/ui/assets/missing-0000.js")).error.details).toEqual({ method: "GET", path: "/ui/assets/missing-0000.js" });
  });

  it("takes no other method: 405 naming GET and HEAD", async () => {
    const request = await pageService();
    const response = await request("POST", "/ui/assets/index-a1b2.js");
    expect([response.statusCode, response.headers["allow"]]).toEqual([405, "GET, HEAD"]);
  });
});

describe("who a credential is, at /", () => {
  it("answers JSON to a key whose Accept does not ask for HTML: workspace, scopes and the key's id, as run records name it", async () => {
    const request = await pageService();
    const keyId = createHash("sha256").update(TEST_KEYS.reader).digest("hex").slice(0, 16);
    const asked: Record<string, string>[] = [{ accept: "application/json", authorization: `Bearer ${TEST_KEYS.reader}` }, { authorization: `Bearer ${TEST_KEYS.reader}` }, { accept: "*/*" }];
    for (const headers of asked) {
      const path = headers["authorization"] ? "/" : `/?api_key=${TEST_KEYS.reader}`;
      const response = await request("GET", path, headers);
      expect(response.statusCode).toBe(200);
      expect(response.headers).toMatchObject({ "cache-control": "no-store", vary: "accept, authorization" });
      expect(json(response)).toEqual({
        welcome: "Welcome to the cvflow API.",
        instructions: `You are authenticated with an API key of workspace "${TEST_WORKSPACE}" (workflow:read).`,
        docs: "/openapi.json",
        workspace: TEST_WORKSPACE,
        scopes: ["workflow:read"],
        key_id: keyId,
      });
    }
  });

  it("answers Roboflow's key check (POST /?api_key=…, no body) the same; without a credential, 401", async () => {
    const request = await pageService();
    const checked = await request("POST", `/?api_key=${TEST_KEYS.other}`);
    expect(json(checked)).toMatchObject({ workspace: "other", scopes: ["workflow:read", "workflow:create", "workflow:update", "workflow:run"] });
    const anonymous = await request("POST", "/");
    expect([anonymous.statusCode, json(anonymous).error.code]).toEqual([401, "unauthorized"]);
  });

  it("answers the page to a browser, key or not, and to a caller without a credential whatever it accepts", async () => {
    const request = await pageService();
    const asked: Record<string, string>[] = [{ accept: "text/html", authorization: `Bearer ${TEST_KEYS.admin}` }, { accept: "application/json" }];
    for (const headers of asked) {
      const response = await request("GET", "/", headers);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
    }
  });

  it("refuses a credential that is not valid with 401, even to a browser", async () => {
    const request = await pageService();
    for (const accept of ["application/json", "text/html"]) {
      const response = await request("GET", "/", { accept, authorization: "Bearer cvf_nobody" });
      expect([response.statusCode, json(response).error]).toEqual([401, expect.objectContaining({ code: "unauthorized", message: "The API key is not valid" })]);
    }
  });

  it("tells a workflow token's workspace and the one workflow it may run", async () => {
    const { service, store } = await createTestService({ ui: site().staticSite });
    await store.create(TEST_WORKSPACE, { url: "echo", name: "Echo", specification: ECHO_WORKFLOW });
    const issue = await service.handle({
      method: "POST",
      path: `/${TEST_WORKSPACE}/workflowToken`,
      query: "",
      headers: { authorization: `Bearer ${TEST_KEYS.runner}`, "content-type": "application/json" },
      body: Buffer.from(JSON.stringify({ url: "echo" })),
      requestId: randomUUID(),
    });
    const { token } = json(issue) as { token: string };
    const response = await service.handle({ method: "GET", path: "/", query: "", headers: { accept: "application/json", authorization: `Bearer ${token}` }, requestId: randomUUID() });
    expect(json(response)).toEqual({
      welcome: "Welcome to the cvflow API.",
      instructions: `You are authenticated with a workflow token: it may run workflow "echo" of workspace "${TEST_WORKSPACE}", and nothing else.`,
      docs: "/openapi.json",
      workspace: TEST_WORKSPACE,
      scopes: ["workflow:run"],
      workflow: "echo",
    });
  });
});

describe("the route table", () => {
  it("documents the page's routes, GET / answering HTML or WhoAmI, and reserves `ui` as a workspace name", async () => {
    const request = await pageService();
    const document = json(await request("GET", "/openapi.json")) as { paths: Record<string, Record<string, any>> };
    expect(Object.keys(document.paths["/"]!).sort()).toEqual(["get", "head", "post"]);
    expect(Object.keys(document.paths["/ui/{path}"]!).sort()).toEqual(["get", "head"]);
    const root = document.paths["/"]!["get"];
    expect(root.responses["200"].content).toEqual({ "text/html": { schema: expect.any(Object) }, "application/json": { schema: { $ref: "#/components/schemas/WhoAmI" } } });
    expect(root.security).toContainEqual({});
    expect(Object.keys(root.responses)).toEqual(expect.arrayContaining(["200", "401", "503"]));
    expect(Object.keys(document.paths["/ui/{path}"]!["get"].responses)).toEqual(expect.arrayContaining(["200", "404", "503"]));
    expect(reservedWorkspaceNames()).toContain("ui");
  });
});

describe("content negotiation", () => {
  it("takes HTML as asked only where Accept names it with a weight above 0", () => {
    expect(asksForHtml("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).toBe(true);
    expect(asksForHtml("application/xhtml+xml")).toBe(true);
    expect(asksForHtml("*/*")).toBe(false);
    expect(asksForHtml("application/json, text/html;q=0")).toBe(false);
    expect(asksForHtml(undefined)).toBe(false);
  });

  it("chooses the encoding of highest weight, ties to the server's order, `*` for any unnamed, identity when none", () => {
    const both = ["br", "gzip"] as const;
    expect(chooseEncoding("gzip, br", both)).toBe("br");
    expect(chooseEncoding("gzip;q=1, br;q=0.9", both)).toBe("gzip");
    expect(chooseEncoding("*", both)).toBe("br");
    expect(chooseEncoding("br;q=0, *;q=0.5", both)).toBe("gzip");
    expect(chooseEncoding("deflate", both)).toBe("identity");
    expect(chooseEncoding(undefined, both)).toBe("identity");
    expect(chooseEncoding("br", ["gzip"] as const)).toBe("identity");
  });
});
