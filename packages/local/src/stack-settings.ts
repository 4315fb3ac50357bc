/**
 * What the local stack reads from its environment, in one place, so that `npm start`,
 * `cvflow serve` and `npm run api-key` (which talks to a running stack's S3 server) agree:
 * PORT (the API gateway, 9001), CVFLOW_S3_PORT (the S3 server, 4568), CVFLOW_DATA_DIR (.data).
 */
import { resolve } from "node:path";
import { DEFAULT_S3_PORT } from "./s3-server.js";
import { StackStartError } from "./stack-start-error.js";

export const LOCAL_BUCKET = "cvflow-local";
export const DEFAULT_GATEWAY_PORT = 9001;

type Environment = Record<string, string | undefined>;

export function gatewayPort(env: Environment = process.env): number {
  return port(env, "PORT", DEFAULT_GATEWAY_PORT);
}

export function s3Port(env: Environment = process.env): number {
  return port(env, "CVFLOW_S3_PORT", DEFAULT_S3_PORT);
}

/** Absolute; relative to the working directory. */
export function dataDir(env: Environment = process.env): string {
  return resolve(env["CVFLOW_DATA_DIR"] || ".data");
}

function port(env: Environment, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new StackStartError("invalid_setting", `${variable}=${raw} is not a port number (0 to 65535; 0 picks a free port)`);
  }
  return value;
}
