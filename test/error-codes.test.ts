/**
 * docs/api.md's error tables against the code tables of every package: the server's codes (each
 * package's `*_ERRORS`, code -> status) and the codes cvflow's SDK and CLI make themselves. A code
 * thrown anywhere is in its package's table (the factories take their codes from it), so a code
 * added, removed or given another status without the docs changing fails here.
 */
import { readFileSync } from "node:fs";
import { BATCH_ERRORS } from "@cvflow/batch";
import { BLOCKS_ERRORS } from "@cvflow/blocks";
import { CLI_ERROR_CODES } from "@cvflow/cli";
import { ENGINE_ERRORS, type ErrorStatuses } from "@cvflow/engine";
import { LOCAL_ERRORS } from "@cvflow/local";
import { RUNS_ERRORS } from "@cvflow/runs";
import { CLIENT_ERROR_CODES } from "@cvflow/sdk";
import { SERVICE_ERRORS } from "@cvflow/service";
import { STORE_ERRORS } from "@cvflow/store";
import { VISION_ERRORS } from "@cvflow/vision";
import { describe, expect, it } from "vitest";

const SERVER: Record<string, ErrorStatuses> = {
  engine: ENGINE_ERRORS,
  store: STORE_ERRORS,
  vision: VISION_ERRORS,
  blocks: BLOCKS_ERRORS,
  service: SERVICE_ERRORS,
  batch: BATCH_ERRORS,
  runs: RUNS_ERRORS,
  local: LOCAL_ERRORS,
};

const api = readFileSync(new URL("../docs/api.md", import.meta.url), "utf8");

/** The rows of the table under `<!-- error-codes: name -->`, as their cells without backticks. */
function table(name: string): string[][] {
  const start = api.indexOf(`<!-- error-codes: ${name} -->`);
  expect(start, `docs/api.md has no <!-- error-codes: ${name} --> table`).toBeGreaterThanOrEqual(0);
  const lines = api.slice(start).split("\n").slice(1);
  const rows = lines.slice(0, lines.findIndex((line) => !line.startsWith("|")));
  return rows.slice(2).map((row) => row.split(" | ").map((cell) => cell.replace(/^\| |`| \|$/g, "")));
}

describe("error codes", () => {
  it("each server code has one home: no two packages' tables hold it", () => {
    const owners = new Map<string, string[]>();
    for (const [name, statuses] of Object.entries(SERVER)) for (const code of Object.keys(statuses)) owners.set(code, [...(owners.get(code) ?? []), name]);
    expect([...owners].filter(([, names]) => names.length > 1)).toEqual([]);
    expect(owners.size).toBeGreaterThan(90);
  });

  it("docs/api.md lists exactly the server's codes, each with its status and package", () => {
    const documented = table("server").map(([code, status, owner]) => `${code} ${status} ${owner}`);
    const thrown = Object.entries(SERVER).flatMap(([name, statuses]) => Object.entries(statuses).map(([code, status]) => `${code} ${status} ${name}`));
    expect(documented.toSorted()).toEqual(thrown.toSorted());
    expect(new Set(documented).size).toBe(documented.length);
  });

  it("docs/api.md lists exactly the codes the SDK and the CLI make themselves", () => {
    const documented = table("client").flatMap(([code, makers]) => makers!.split(", ").map((maker) => `${code} ${maker}`));
    const made = [...CLIENT_ERROR_CODES.map((code) => `${code} SDK`), ...CLI_ERROR_CODES.map((code) => `${code} CLI`)];
    expect(documented.toSorted()).toEqual(made.toSorted());
  });

  it("every code is snake_case", () => {
    const codes = [...Object.values(SERVER).flatMap((statuses) => Object.keys(statuses)), ...CLIENT_ERROR_CODES, ...CLI_ERROR_CODES];
    expect(codes.filter((code) => !/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(code))).toEqual([]);
  });
});
