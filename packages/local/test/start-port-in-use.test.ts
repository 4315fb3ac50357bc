/**
 * `npm start` (bin/start.ts) and `cvflow serve` when a port they want is taken: a real listener
 * holds it, the stack runs as its own process, and it must exit 1 with one line naming the port
 * and the variable that moves it — no stack trace, nothing served.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand, type Finished } from "../../../test/run-command.js";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const NODE = `${REPO}node_modules/.bin/node`;

let holder: Server;
let taken: number;
const dataDir = mkdtempSync(join(tmpdir(), "cvflow-port-in-use-"));

beforeAll(async () => {
  holder = createServer();
  await new Promise<void>((listening) => holder.listen(0, "127.0.0.1", listening));
  taken = (holder.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((closed) => holder.close(closed));
  rmSync(dataDir, { recursive: true, force: true });
});

function run(args: string[], env: Record<string, string>): Promise<Finished> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("CVFLOW_") && name !== "PORT"));
  return runCommand(NODE, args, { cwd: REPO, env: { ...inherited, CVFLOW_DATA_DIR: dataDir, ...env } });
}

const START = ["--import", "tsx", "bin/start.ts"];
const SERVE = ["packages/cli/bin/cvflow.js", "serve"];

describe("a port in use", () => {
  it("npm start: the API gateway's port (PORT) → exit 1, one line, no trace", async () => {
    const { code, stdout, stderr } = await run(START, { PORT: String(taken), CVFLOW_S3_PORT: "0" });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `cvflow: cannot start: port ${taken} on 127.0.0.1 (the API gateway) is already in use, by another program or another cvflow stack; set PORT to a free port (PORT=0 picks one)\n`,
    );
  }, 60_000);

  it("npm start: the S3 server's port (CVFLOW_S3_PORT) → exit 1, one line, no trace", async () => {
    const { code, stdout, stderr } = await run(START, { PORT: "0", CVFLOW_S3_PORT: String(taken) });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `cvflow: cannot start: port ${taken} on 127.0.0.1 (the S3 server) is already in use, by another program or another cvflow stack; set CVFLOW_S3_PORT to a free port (CVFLOW_S3_PORT=0 picks one)\n`,
    );
  }, 60_000);

  it("npm start: a port setting that is no port → exit 1, one line", async () => {
    const { code, stderr } = await run(START, { PORT: "0", CVFLOW_S3_PORT: "s3" });
    expect(code).toBe(1);
    expect(stderr).toBe("cvflow: cannot start: CVFLOW_S3_PORT=s3 is not a port number (0 to 65535; 0 picks a free port)\n");
  }, 60_000);

  it("cvflow serve: the same, as the CLI's error line (exit 1)", async () => {
    const { code, stdout, stderr } = await run(SERVE, { PORT: String(taken), CVFLOW_S3_PORT: "0" });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `cvflow: port_in_use: cannot start: port ${taken} on 127.0.0.1 (the API gateway) is already in use, by another program or another cvflow stack; set PORT to a free port (PORT=0 picks one)\n`,
    );
  }, 60_000);

  it("cvflow serve --help lists the variables it reads", async () => {
    const { code, stdout } = await run([...SERVE, "--help"], {});
    expect(code).toBe(0);
    for (const variable of ["PORT", "CVFLOW_S3_PORT", "CVFLOW_DATA_DIR", "CVFLOW_DEV_API_KEY"]) expect(stdout).toMatch(new RegExp(`^  ${variable} +\\S`, "m"));
  });
});
