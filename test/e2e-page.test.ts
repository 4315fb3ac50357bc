/**
 * The local stack serves the debugger page as the deployment does: the build it is pointed at
 * (CVFLOW_UI_DIR; by default packages/ui/dist), over real HTTP on loopback, with a
 * Content-Security-Policy that names the stack's own S3 server (where uploads go and presigned
 * images come from); and `/` tells the stack's API key who it is, as the page's sign-in and
 * Roboflow's Python client ask.
 */
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalStack } from "@cvflow/local";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "./local-stack.js";

const INDEX = '<!doctype html><script type="module" crossorigin src="/ui/assets/index-0a1b.js"></script><div id="app"></div>';

describe("the debugger page on the local stack", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    const dist = await mkdtemp(join(tmpdir(), "cvflow-e2e-page-"));
    await mkdir(join(dist, "assets"));
    await writeFile(join(dist, "index.html"), INDEX);
    await writeFile(join(dist, "assets", "index-0a1b.js"), "document.title = 'cvflow';\n");
    stack = await testStack({ env: { CVFLOW_UI_DIR: dist } });
  });
  afterAll(() => stack?.close());

  it("serves the page at / to a browser, its policy allowing this origin and the stack's S3 server only", async () => {
    const response = await fetch(`${stack.url}/`, { headers: { accept: "text/html,*/*;q=0.8" } });
    expect([response.status, await response.text()]).toEqual([200, INDEX]);
    const s3 = new URL(stack.s3.endpoint).origin;
    expect(s3).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const policy = response.headers.get("content-security-policy")!;
    expect(policy).toContain(`img-src 'self' data: blob: ${s3};`);
    expect(policy).toContain(`connect-src 'self' ${s3};`);
    // Nothing outside: every source is 'self', a scheme of the page's own, 'none', or that S3 server.
    const sources = policy.split("; ").flatMap((directive) => directive.split(" ").slice(1));
    expect(sources.filter((source) => !["'self'", "'unsafe-inline'", "'none'", "data:", "blob:", s3].includes(source))).toEqual([]);
    const script = await fetch(`${stack.url}/ui/assets/index-0a1b.js`);
    expect([script.status, script.headers.get("cache-control"), await script.text()]).toEqual([200, "public, max-age=31536000, immutable", "document.title = 'cvflow';\n"]);
    const missing = await fetch(`${stack.url}/ui/assets/index-ffff.js`);
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([404, "route_not_found"]);
  });

  it("tells the stack's API key who it is: asked for JSON (the page's sign-in), or POSTed as Roboflow's Python client checks a key", async () => {
    const expected = { workspace: stack.workspace, scopes: ["workflow:read", "workflow:create", "workflow:update", "workflow:run"], key_id: createHash("sha256").update(stack.apiKey).digest("hex").slice(0, 16) };
    const signIn = await fetch(`${stack.url}/`, { headers: { accept: "application/json", authorization: `Bearer ${stack.apiKey}` } });
    expect(signIn.status).toBe(200);
    expect(await signIn.json()).toMatchObject(expected);
    const roboflow = await fetch(`${stack.url}/?api_key=${stack.apiKey}`, { method: "POST" });
    expect(await roboflow.json()).toMatchObject(expected);
    const unknown = await fetch(`${stack.url}/`, { headers: { accept: "application/json", authorization: "Bearer cvf_unknown" } });
    expect([unknown.status, ((await unknown.json()) as { error: { code: string } }).error.code]).toEqual([401, "unauthorized"]);
  });
});
