/**
 * `cvflow serve`: the local stack (S3-protocol server + Function-URL gateway) on loopback.
 * It comes from `startLocalStack()` of @cvflow/local, imported only here, on demand, so that the
 * other commands never load the stack's dependencies.
 */
import { CvflowError } from "@cvflow/sdk";
import type { Command } from "commander";
import { printLines } from "../output.js";

/** What this command needs of @cvflow/local: a start that resolves once the stack listens. */
interface LocalStackModule {
  startLocalStack?: () => Promise<{ url?: string; close?: () => Promise<void> } | void>;
}

export function addServeCommand(program: Command): void {
  program
    .command("serve")
    .description("start the local stack (the API on loopback, as `npm start` serves it)")
    .action(async () => {
      const { startLocalStack } = (await import("@cvflow/local")) as LocalStackModule;
      if (!startLocalStack) throw new CvflowError("not_available", "This build of @cvflow/local has no startLocalStack(): cvflow serve is not available yet");
      const stack = await startLocalStack();
      printLines(`cvflow: local stack listening${stack?.url ? ` on ${stack.url}` : ""} (Ctrl-C stops it)`);
      const stop = () => void (stack?.close ? stack.close() : Promise.resolve()).finally(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
}
