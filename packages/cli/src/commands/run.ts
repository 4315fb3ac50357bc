/** `cvflow run <spec.json | ws/id> --image ... --param ...` */
import { writeFileSync } from "node:fs";
import type { RunResult, WorkflowTarget } from "@cvflow/sdk";
import type { Command } from "commander";
import { collect, collectImage, collectParam, imagesByName, parseTarget, readSpecification, type ImageArgument } from "../arguments.js";
import { clientFor, globalOptions } from "../context.js";
import { usageError } from "../exit-codes.js";
import { outputLines, printJson, printLines } from "../output.js";

interface RunFlags {
  image?: ImageArgument[];
  param?: Record<string, unknown>;
  exclude?: string[];
  versionId?: string;
  profile?: string;
  nowait?: boolean;
  idempotencyKey?: string;
}

export function addRunCommand(program: Command): void {
  program
    .command("run")
    .description("run a workflow: a definition file or a saved workflow (workspace/id)")
    .argument("<target>", "spec.json, or workspace/workflow-id")
    .option("-i, --image <[name=]source>", "an image input: a file, http(s) URL, s3:// reference or base64; without name= it feeds the input \"image\"; repeat a name for a batch", collectImage)
    .option("-p, --param <name=value>", "a parameter input; the value is read as JSON when it parses, else as a string", collectParam)
    .option("-x, --exclude <field>", "an output to leave out (repeatable)", collect)
    .option("--version-id <id>", "run this saved version of a saved workflow")
    .option("--profile <file>", "write the run's profiler trace (Chrome trace events) to this file")
    .option("--nowait", "start the run on the service and print its id at once (follow it with cvflow runs events <id> --follow)")
    .option("--idempotency-key <key>", "the same key with the same request gives the same run")
    .addHelpText("after", "\nExamples:\n  cvflow run examples/sahi.workflow.json --image photo.jpg\n  cvflow run acme/shelf --image image=a.jpg --image image=b.jpg --param confidence=0.5 --json\n  RUN=$(cvflow run acme/shelf --image a.jpg --nowait) && cvflow runs events $RUN --follow")
    .action(async (text: string, flags: RunFlags, command: Command) => {
      const target = parseTarget(text);
      if (!target) usageError(command, `"${text}" is neither a .json file nor workspace/workflow-id`);
      if (flags.versionId && "file" in target) usageError(command, "--version-id needs a saved workflow (workspace/workflow-id)");
      if (flags.nowait && flags.profile) usageError(command, "--profile needs a run that waits (no --nowait)");
      const workflow: WorkflowTarget =
        "file" in target ? { specification: readSpecification(target.file) } : { workspace: target.workspace, workflowId: target.id, ...(flags.versionId ? { versionId: flags.versionId } : {}) };
      const options = {
        images: imagesByName(flags.image ?? []),
        parameters: flags.param ?? {},
        ...(flags.exclude ? { excludedFields: flags.exclude } : {}),
        ...(flags.idempotencyKey ? { idempotencyKey: flags.idempotencyKey } : {}),
      };
      if (flags.nowait) {
        const record = await clientFor(command).runNowait(workflow, options);
        return globalOptions(command).json ? printJson(record) : printLines(record.id);
      }
      const result = await clientFor(command).runWorkflow(workflow, { ...options, ...(flags.profile ? { enableProfiling: true } : {}) });
      if (flags.profile) writeFileSync(flags.profile, JSON.stringify(result.profilerTrace ?? []));
      if (globalOptions(command).json) printJson(result);
      else printRun(result, flags.profile);
    });
}

function printRun(result: RunResult, profile: string | undefined): void {
  const many = result.outputs.length > 1;
  result.outputs.forEach((output, i) => {
    if (many) printLines(`outputs[${i}]`);
    printLines(...outputLines(output).map((line) => (many ? `  ${line}` : line)));
  });
  if (result.outputs.length === 0) printLines("no outputs");
  if (profile) printLines(`profiler trace: ${result.profilerTrace?.length ?? 0} events written to ${profile}`);
}
