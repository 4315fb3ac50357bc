/** The `cvflow` executable's entry (bin/cvflow.js loads it through tsx). */
import { runCli } from "./run-cli.js";

process.exitCode = await runCli(process.argv.slice(2));
