/**
 * `cvflow process-images-directory -i DIR -o OUT --workflow <spec.json | ws/id>`: the workflow
 * in-process on every image of DIR, written as a batch job writes its output. The engine, the
 * models and sharp are loaded only when this command runs.
 */
import { imagesFailed, maxFailuresReached } from "../errors.js";
import { Option, type Command } from "commander";
import { collectParam, positiveInteger } from "../arguments.js";
import { globalOptions } from "../context.js";
import type { ProcessDirectoryResult } from "../directory/process-directory.js";
import { printJson, printLines } from "../output.js";
import { WORKFLOW_OPTION_HELP, workflowDefinition } from "../workflow-definition.js";

interface DirectoryFlags {
  input: string;
  output: string;
  workflow: string;
  param?: Record<string, unknown>;
  threads: number;
  aggregationFormat: "csv" | "jsonl";
  saveImageOutputs?: boolean;
  forceReprocessing?: boolean;
  skipFailed?: boolean;
  maxFailures?: number;
  imageInput: string;
}

export function addProcessImagesDirectoryCommand(program: Command): void {
  program
    .command("process-images-directory")
    .description("run a workflow in-process on every image of a folder (at any depth), writing results as a batch job does")
    .requiredOption("-i, --input <dir>", "the folder of images (.jpg .jpeg .png .webp .gif .tif .tiff)")
    .requiredOption("-o, --output <dir>", "where results go; a rerun into the same folder skips the images done and retries those that failed")
    .requiredOption("--workflow <target>", WORKFLOW_OPTION_HELP)
    .option("-p, --param <name=value>", "a parameter input; the value is read as JSON when it parses", collectParam)
    .option("--threads <n>", "images processed at once", positiveInteger, 2)
    .addOption(new Option("--aggregation-format <format>", "the aggregated results' format").choices(["csv", "jsonl"]).default("csv"))
    .option("--save-image-outputs", "write image outputs as JPEG files next to each results.json")
    .option("--force-reprocessing", "process every image again, even those a previous run finished")
    .option("--skip-failed", "on a rerun, skip the images an earlier run failed on (by default they are retried)")
    .option("--max-failures <n>", "stop once this many images have failed; a rerun with --skip-failed goes on past them", positiveInteger)
    .option("--image-input <name>", "the workflow input the images feed", "image")
    .addHelpText("after", "\nExit status: 0 when every image was processed; 1 when any image failed (the first reasons are printed, all are in OUT/failed_files_<time>.jsonl), or when --max-failures stopped the run.\n\nExamples:\n  cvflow process-images-directory -i photos -o results --workflow examples/detect-and-visualize.workflow.json --save-image-outputs\n  cvflow process-images-directory -i photos -o results --workflow acme/shelf --param confidence=0.5 --threads 4 --aggregation-format jsonl")
    .action(async (flags: DirectoryFlags, command: Command) => {
      const workflow = await workflowDefinition(flags.workflow, command);
      const [{ processDirectory }, { progressDisplay }] = await Promise.all([import("../directory/process-directory.js"), import("../directory/progress-display.js")]);
      const display = progressDisplay(process.stderr);
      const result = await processDirectory({
        input: flags.input,
        output: flags.output,
        workflow,
        parameters: flags.param ?? {},
        imageInput: flags.imageInput,
        threads: flags.threads,
        aggregationFormat: flags.aggregationFormat,
        saveImageOutputs: Boolean(flags.saveImageOutputs),
        forceReprocessing: Boolean(flags.forceReprocessing),
        skipFailed: Boolean(flags.skipFailed),
        ...(flags.maxFailures !== undefined ? { maxFailures: flags.maxFailures } : {}),
        onStart: ({ images, pending, skipped, retried }) => {
          const already = skipped ? `; ${skipped} finished by an earlier run are skipped (--force-reprocessing redoes them)` : "";
          const again = retried ? `; ${retried} that failed before are retried (--skip-failed skips them)` : "";
          process.stderr.write(`${images} images in ${flags.input}: ${pending} to process${already}${again}\n`);
        },
        onProgress: (progress) => display.update(progress),
      });
      if (result.images > 0) display.finish({ total: result.images, done: result.done, failed: result.failed, elapsedSeconds: result.seconds });
      if (globalOptions(command).json) printJson(result);
      else {
        const rate = result.images > 0 ? ` (${(result.images / result.seconds).toFixed(1)} images/s)` : "";
        printLines(
          `processed ${result.images} images in ${result.seconds.toFixed(1)} s${rate}: ${result.done} done, ${result.failed} failed, ${result.skipped} skipped`,
          `results: ${flags.output}/${result.aggregated}`,
          ...(result.failures ? [`failures: ${flags.output}/${result.failures}`] : []),
        );
      }
      if (result.failed === 0) return;
      // With --json the result printed carries them (failureSamples).
      if (!globalOptions(command).json) process.stderr.write(failureLines(result).join(""));
      if (result.stopped) {
        throw maxFailuresReached(`Stopped after ${result.failed} failures (--max-failures ${flags.maxFailures}); what was done is kept; a rerun retries the failed images, or goes on past them with --skip-failed`);
      }
      throw imagesFailed(`${result.failed} of ${result.images} images failed; their records: ${flags.output}/${result.failures}`);
    });
}

/** `failed: corrupt: invalid_image: The JPEG header could not be read…`, for the first few failures. */
function failureLines(result: ProcessDirectoryResult): string[] {
  const more = result.failed - result.failureSamples.length;
  return [
    ...result.failureSamples.map((failure) => `failed: ${failure.image}: ${failure.code}: ${oneLine(failure.message)}\n`),
    ...(more > 0 ? [`failed: … and ${more} more\n`] : []),
  ];
}

function oneLine(message: string): string {
  const line = message.split("\n")[0]!;
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}
