/** The `cvflow` command, for embedding (tests, other tools): the executable is bin/cvflow.js. */
export { createProgram } from "./program.js";
export { EXIT_ERROR, EXIT_OK, EXIT_USAGE } from "./exit-codes.js";
export { runCli } from "./run-cli.js";
export { CLI_ERROR_CODES, type CliErrorCode } from "./errors.js";
export { processDirectory, type ProcessDirectoryOptions, type ProcessDirectoryResult } from "./directory/process-directory.js";
