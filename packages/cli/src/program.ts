/** The `cvflow` command tree and its global options. */
import { Command, Option } from "commander";
import cliPackage from "../package.json" with { type: "json" };
import { httpUrl, positiveInteger } from "./arguments.js";
import { addBatchCommand } from "./commands/batch.js";
import { addDescribeCommand } from "./commands/describe.js";
import { addHealthCommand } from "./commands/health.js";
import { addProcessImageCommand } from "./commands/process-image.js";
import { addProcessImagesDirectoryCommand } from "./commands/process-images-directory.js";
import { addProcessVideoCommand } from "./commands/process-video.js";
import { addRunCommand } from "./commands/run.js";
import { addRunsCommand } from "./commands/runs.js";
import { addServeCommand } from "./commands/serve.js";
import { addValidateCommand } from "./commands/validate.js";
import { addWorkflowsCommand } from "./commands/workflows.js";
import { DEFAULT_URL } from "./context.js";

export function createProgram(): Command {
  const program = new Command("cvflow")
    .version(cliPackage.version)
    .description("Run and manage computer-vision workflows (the open Workflows grammar) on a cvflow server, or in-process on local images.")
    .addOption(new Option("--url <url>", "the cvflow API").env("CVFLOW_URL").default(DEFAULT_URL).argParser(httpUrl))
    .addOption(new Option("--api-key <key>", "a workspace API key (cvf_…)").env("CVFLOW_API_KEY"))
    .addOption(new Option("--token <token>", "a workflow token, sent instead of the API key").env("CVFLOW_TOKEN"))
    .addOption(new Option("--timeout <ms>", "bound of each HTTP request").argParser(positiveInteger))
    .option("--json", "print JSON (errors too, on stderr) instead of readable text")
    .showHelpAfterError("(run with --help for usage)")
    // Usage errors are thrown, not exited on, so that runCli can map them to exit code 2.
    .exitOverride();
  addRunCommand(program);
  addRunsCommand(program);
  addValidateCommand(program);
  addDescribeCommand(program);
  addWorkflowsCommand(program);
  addProcessImagesDirectoryCommand(program);
  addProcessImageCommand(program);
  addProcessVideoCommand(program);
  addBatchCommand(program);
  addHealthCommand(program);
  addServeCommand(program);
  return program;
}
