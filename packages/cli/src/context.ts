/** The global options every command shares, and the client they configure. */
import { CvflowClient } from "@cvflow/sdk";
import type { Command } from "commander";

export const DEFAULT_URL = "http://127.0.0.1:9001";

export interface GlobalOptions {
  url: string;
  apiKey?: string;
  token?: string;
  timeout?: number;
  json?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function clientFor(command: Command): CvflowClient {
  const { url, apiKey, token, timeout } = globalOptions(command);
  return new CvflowClient({ baseUrl: url, apiKey, token, timeoutMs: timeout });
}
