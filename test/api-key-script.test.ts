/**
 * `npm run api-key` (scripts/api-key.ts) as a user runs it: against a real local stack (a key it
 * makes is accepted by the API), with no stack running, and for a deployment without AWS
 * credentials — each failure one line with what to do, exit 1, no stack trace.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { reservedWorkspaceNames } from "@cvflow/service";
import { call, testStack } from "./local-stack.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The script on the repository's Node, with only the environment given (no AWS_*, no CVFLOW_*). */
function apiKey(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AWS_|CVFLOW_)/.test(name)));
  return new Promise((resolve) => {
    execFile(`${ROOT}node_modules/.bin/node`, ["--import", "tsx", "scripts/api-key.ts", ...args], { cwd: ROOT, env: { ...inherited, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

/** A port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

describe("npm run api-key", () => {
  let stack: LocalStack;
  const dataDir = mkdtempSync(join(tmpdir(), "cvflow-api-key-"));
  /** What `npm start` in that data folder would have: its S3 port and data folder. */
  let local: Record<string, string>;
  beforeAll(async () => {
    stack = await testStack({ dataDir });
    local = { CVFLOW_S3_PORT: String(stack.s3.port), CVFLOW_DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await stack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("without --bucket makes a key in the running local stack, which the API accepts for that workspace only", async () => {
    const { code, stdout, stderr } = await apiKey(["--workspace", "team", "--scopes", "workflow:read"], local);
    expect(code).toBe(0);
    const key = stdout.trim();
    expect(key).toMatch(/^cvf_[\w-]{43}$/);
    expect(stderr).toBe(`workspace team, scopes workflow:read, in the local stack (${stack.s3.endpoint}): keep the key; it is not shown again\n`);
    expect(await call(stack, "GET", "/team/workflows", { key })).toMatchObject({ status: 200, body: { workflows: [] } });
    expect((await call(stack, "GET", `/${stack.workspace}/workflows`, { key })).status).toBe(403);
  }, 60_000);

  it("with no local stack running (or none ever started there) says to start one, exit 1", async () => {
    const port = await closedPort();
    const stopped = await apiKey(["--workspace", "demo"], { ...local, CVFLOW_S3_PORT: String(port) });
    expect({ code: stopped.code, stdout: stopped.stdout }).toEqual({ code: 1, stdout: "" });
    expect(stopped.stderr).toBe(`api-key: no local stack answers at http://127.0.0.1:${port}: start it with \`npm start\` (or set CVFLOW_S3_PORT to the port of its S3 server); for a deployment, pass --bucket\n`);
    const never = await apiKey(["--workspace", "demo"], { ...local, CVFLOW_DATA_DIR: join(dataDir, "never") });
    expect(never.code).toBe(1);
    expect(never.stderr).toBe(`api-key: no local stack has kept data in ${join(dataDir, "never")}: start one with \`npm start\` (from the same folder, with the same CVFLOW_DATA_DIR)\n`);
  }, 60_000);

  it("with --bucket and no AWS credentials says which to set, exit 1", async () => {
    const { code, stderr } = await apiKey(["--workspace", "acme", "--bucket", "acme-bucket"], { AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" });
    expect(code).toBe(1);
    expect(stderr).toBe(
      "api-key: no AWS credentials for s3://acme-bucket: set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_REGION); without --bucket the key is made in the local stack\n",
    );
  }, 60_000);

  it("refuses a bad workspace name with the store's code, and a missing --workspace with the usage (exit 2)", async () => {
    const bad = await apiKey(["--workspace", "Not A Name"], local);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^api-key: invalid_workspace: "Not A Name" is not a workspace name/);
    const usage = await apiKey([], {});
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^api-key: --workspace is required\nusage: npm run api-key -- --workspace WS/);
  }, 60_000);

  it("refuses a workspace named like a fixed route's first segment, naming every reserved name, before it reaches a store", async () => {
    // No stack at this port: the refusal comes first.
    const reserved = await apiKey(["--workspace", "infer"], { ...local, CVFLOW_S3_PORT: String(await closedPort()) });
    expect({ code: reserved.code, stdout: reserved.stdout }).toEqual({ code: 1, stdout: "" });
    expect(reserved.stderr).toBe(
      `api-key: reserved_workspace: "infer" cannot name a workspace: it is the first segment of fixed routes. Reserved: ${reservedWorkspaceNames().join(", ")}\n`,
    );
  }, 60_000);
});
