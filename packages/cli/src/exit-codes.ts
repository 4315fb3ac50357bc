/** The command's exit codes, and the way commands report a usage mistake. */
import type { Command } from "commander";

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** Prints like commander's own usage errors (with the help hint) and ends the command with EXIT_USAGE. */
export function usageError(command: Command, message: string): never {
  return command.error(`error: ${message}`, { exitCode: EXIT_USAGE, code: "cvflow.usage" });
}
