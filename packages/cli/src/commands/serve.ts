/**
 * `cvflow serve`: the local stack (S3-protocol server + Function-URL gateway) on loopback.
 * It comes from `startLocalStack()` of @cvflow/local, imported only here, on demand, so that the
 * other commands never load the stack's dependencies.
 */
import { CvflowError } from "@cvflow/sdk";
import type { Command } from "commander";
import { notAvailable } from "../errors.js";
import { printLines } from "../output.js";

/** What this command needs of @cvflow/local: a start that resolves once the stack listens. */
interface LocalStackModule {
  startLocalStack?: () => Promise<{ url?: string; apiKey?: string; close?: () => Promise<void> } | void>;
  /** What a start throws for what its user can fix (a port in use), with a code and a one-line message. */
  StackStartError?: new (...args: never[]) => Error & { code: string };
}

export function addServeCommand(program: Command): void {
  program
    .command("serve")
    .description("start the local stack (the API on loopback, as `npm start` serves it)")
    .addHelpText(
      "after",
      `
Environment:
  PORT                the API gateway's port (default 9001; 0 picks a free one)
  CVFLOW_S3_PORT      the local S3 server's port (default 4568; 0 picks a free one)
  CVFLOW_DATA_DIR     where the stack keeps its data, kept across starts (default .data)
  CVFLOW_DEV_API_KEY  the dev API key of the workspace "demo" (default: one made once and kept in the data folder)
  CVFLOW_RUN_LIMIT_MS an async run's limit (default 900000)
  CVFLOW_WEBHOOK_SECRET  signs the runs' webhooks (default: one made once and kept in the data folder)

A port already in use ends the command with exit 1 and names the variable that moves it.`,
    )
    .action(async () => {
      const local = (await import("@cvflow/local")) as LocalStackModule;
      if (!local.startLocalStack) throw notAvailable("This build of @cvflow/local has no startLocalStack(): cvflow serve is not available yet");
      const stack = await local.startLocalStack().catch((error: unknown) => {
        throw local.StackStartError && error instanceof local.StackStartError ? new CvflowError(error.code, `cannot start: ${error.message}`) : error;
      });
      printLines(
        `cvflow: local stack listening${stack?.url ? ` on ${stack.url}` : ""} (Ctrl-C stops it)`,
        ...(stack?.apiKey ? [`cvflow: API key ${stack.apiKey}`] : []),
        ...(stack?.url ? [`cvflow: debugger page ${stack.url}/ (sign in with the API key)`] : []),
      );
      const stop = () => void (stack?.close ? stack.close() : Promise.resolve()).finally(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
