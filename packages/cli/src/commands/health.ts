/** `cvflow health`: whether the server answers, and its version (exit 1 when it does not). */
import type { Command } from "commander";
import { clientFor, globalOptions } from "../context.js";
import { printJson, printLines } from "../output.js";

export function addHealthCommand(program: Command): void {
  program
    .command("health")
    .description("check that the server answers")
    .action(async (_flags: object, command: Command) => {
      const { url } = globalOptions(command);
      const health = await clientFor(command).health();
      if (globalOptions(command).json) printJson(health);
      else printLines(`${url}: ${health.status} (version ${health.version})`);
    });
}
