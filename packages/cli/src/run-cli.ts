/** Runs the command line and maps the outcome to an exit code: 0 ok, 1 server or user error, 2 usage. */
import { CvflowError } from "@cvflow/sdk";
import { CommanderError } from "commander";
import { internalError } from "./errors.js";
import type { GlobalOptions } from "./context.js";
import { EXIT_ERROR, EXIT_OK, EXIT_USAGE } from "./exit-codes.js";
import { withHint } from "./hints.js";
import { printError } from "./output.js";
import { createProgram } from "./program.js";

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT_OK;
  } catch (error) {
    // Commander has printed its message already; help and --version end the same way, with 0.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    const options = program.opts<Partial<GlobalOptions>>();
    const json = Boolean(options.json);
    if (error instanceof CvflowError) {
      printError(withHint(error, options), json);
    } else {
      // A bug of the CLI, not a user's mistake: still no stack trace, but say what it was.
      printError(internalError(error), json);
    }
    return EXIT_ERROR;
  }
}
