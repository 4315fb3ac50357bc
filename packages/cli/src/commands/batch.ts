/** `cvflow batch submit|status|list|abort|restart`: batch jobs on a running service (docs/batch.md). */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { BatchJobRequest, BatchJobStatus, CvflowClient } from "@cvflow/sdk";
import { Option, type Command } from "commander";
import { collectParam, parseTarget, percentage, positiveInteger, positiveNumber, readSpecification } from "../arguments.js";
import { clientFor, globalOptions } from "../context.js";
import { findImages } from "../directory/find-images.js";
import { usageError } from "../exit-codes.js";
import { printJson, printLines, table } from "../output.js";

interface SubmitFlags {
  input?: string;
  video?: string;
  maxFps?: number;
  segmentFrames?: number;
  workflow: string;
  param?: Record<string, unknown>;
  aggregationFormat?: "csv" | "jsonl";
  saveImageOutputs?: boolean;
  imageInput?: string;
  toleratedFailurePercentage?: number;
}

function videoInput(video: string, flags: SubmitFlags): BatchJobRequest["input"] {
  return { video, ...(flags.maxFps === undefined ? {} : { max_fps: flags.maxFps }), ...(flags.segmentFrames === undefined ? {} : { segment_frames: flags.segmentFrames }) };
}

/** Uploads in flight at once for a local folder. */
const UPLOAD_CONCURRENCY = 4;

export function addBatchCommand(program: Command): void {
  const batch = program.command("batch").description("batch jobs on the service: a workflow over every image of a folder or S3 prefix");

  batch
    .command("submit")
    .description("submit a job; a local folder is uploaded first; prints the job's id")
    .option("--input <dir | s3://bucket/prefix/>", "the images: a local folder (uploaded) or an S3 prefix")
    .option("--video <s3://bucket/key>", "instead of --input, one video in S3: a row per frame and an mp4 per image output (docs/batch.md, Video jobs)")
    .option("--max-fps <n>", "with --video: take at most this many frames per second", positiveNumber)
    .option("--segment-frames <n>", "with --video: frames per segment run in parallel (server default: 1000)", positiveInteger)
    .requiredOption("--workflow <target>", "spec.json (sent inline), or workspace/workflow-id")
    .option("-p, --param <name=value>", "a parameter input; the value is read as JSON when it parses", collectParam)
    .addOption(new Option("--aggregation-format <format>", "the aggregated results' format (server default: csv)").choices(["csv", "jsonl"]))
    .option("--save-image-outputs", "write image outputs as JPEG files")
    .option("--image-input <name>", "the workflow input the images feed (server default: image)")
    .option("--tolerated-failure-percentage <percent>", "share of images that may fail before the job ends failed (server default: 10)", percentage)
    .addHelpText(
      "after",
      "\nExamples:\n  cvflow batch submit --input s3://cvflow-local/datasets/shelves/ --workflow demo/detect-crop-classify\n  JOB=$(cvflow batch submit --input photos --workflow spec.json --save-image-outputs)\n  cvflow batch submit --video s3://cvflow-local/videos/street.mp4 --workflow counter.json --save-image-outputs",
    )
    .action(async (flags: SubmitFlags, command: Command) => {
      const target = parseTarget(flags.workflow) ?? usageError(command, `--workflow "${flags.workflow}" is neither a .json file nor workspace/workflow-id`);
      if ((flags.input === undefined) === (flags.video === undefined)) usageError(command, "give either --input (images) or --video (one video in S3)");
      if (flags.video === undefined && (flags.maxFps !== undefined || flags.segmentFrames !== undefined)) usageError(command, "--max-fps and --segment-frames go with --video");
      if (flags.video !== undefined && !/^s3:\/\/[^/]+\/.*[^/]$/.test(flags.video)) usageError(command, `--video "${flags.video}" is not s3://bucket/key`);
      const isFolder = flags.input !== undefined && existsSync(flags.input) && statSync(flags.input).isDirectory();
      if (flags.input !== undefined && !isFolder && !/^s3:\/\/[^/]+\//.test(flags.input)) usageError(command, `--input "${flags.input}" is neither a folder nor s3://bucket/prefix/`);
      const client = clientFor(command);
      const uploads = isFolder ? await uploadFolder(client, flags.input!) : [];
      const job: BatchJobRequest = {
        workflow: "file" in target ? { specification: readSpecification(target.file) } : { workspace: target.workspace, id: target.id },
        input: flags.video !== undefined ? videoInput(flags.video, flags) : isFolder ? { manifest: uploads.map((upload) => upload.source) } : { prefix: flags.input! },
        ...(flags.param ? { parameters: flags.param } : {}),
        ...(flags.imageInput ? { image_input: flags.imageInput } : {}),
        ...(flags.aggregationFormat ? { aggregation_format: flags.aggregationFormat } : {}),
        ...(flags.saveImageOutputs ? { save_image_outputs: true } : {}),
        ...(flags.toleratedFailurePercentage !== undefined ? { tolerated_failure_percentage: flags.toleratedFailurePercentage } : {}),
      };
      const submitted = await client.submitBatchJob(job);
      // The job names an uploaded image by its upload key: --json keeps which file that was.
      if (globalOptions(command).json) printJson(isFolder ? { ...submitted, uploads } : submitted);
      else printLines(submitted.job);
    });

  batch
    .command("status")
    .description("a job's state and counts: succeeded, completed_with_failures (within the tolerated failures) or failed (past them: the error says how many)")
    .argument("<id>")
    .action(async (id: string, _flags: object, command: Command) => {
      const status = await clientFor(command).batchJob(id);
      if (globalOptions(command).json) return printJson(status);
      printLines(
        ...table([
          ["job", status.job],
          ["state", status.state],
          ["progress", progressOf(status)],
          ["started", status.started_at ?? "-"],
          ["finished", status.finished_at ?? "-"],
          ["output", status.output_prefix ?? "-"],
          ...(status.error ? [["error", `${status.error.code}: ${status.error.message}`]] : []),
        ]),
      );
    });

  batch
    .command("list")
    .description("the jobs of the key's workspace, newest first")
    .action(async (_flags: object, command: Command) => {
      const jobs = await clientFor(command).listBatchJobs();
      if (globalOptions(command).json) return printJson(jobs);
      if (jobs.length === 0) return printLines("no batch jobs");
      printLines(...table([["JOB", "STATE", "PROGRESS", "STARTED"], ...jobs.map((j) => [j.job, j.state, progressOf(j), j.started_at ?? "-"])]));
    });

  batch
    .command("abort")
    .description("stop a job's execution (what is done is kept)")
    .argument("<id>")
    .action(async (id: string, _flags: object, command: Command) => {
      const status = await clientFor(command).abortBatchJob(id);
      if (globalOptions(command).json) return printJson(status);
      printLines(`${status.job}: ${status.state}`);
    });

  batch
    .command("restart")
    .description("a new execution of a job over the images not done yet")
    .argument("<id>")
    .action(async (id: string, _flags: object, command: Command) => {
      const status = await clientFor(command).restartBatchJob(id);
      if (globalOptions(command).json) return printJson(status);
      printLines(`${status.job}: ${status.state}`);
    });
}

/**
 * Every image of the folder through POST /uploads + PUT, a few at a time, in the folder's
 * (sorted) order: each file with the `s3://` reference the manifest lists. The count is redrawn in
 * place on a terminal; elsewhere (logs, pipes) one line says it at the end.
 */
async function uploadFolder(client: CvflowClient, folder: string): Promise<{ file: string; source: string }[]> {
  const files = await findImages(folder);
  const uploads = new Array<{ file: string; source: string }>(files.length);
  let next = 0;
  let uploaded = 0;
  const tty = Boolean(process.stderr.isTTY);
  const worker = async () => {
    while (next < files.length) {
      const index = next++;
      const file = files[index]!;
      uploads[index] = { file, source: (await client.uploadImage(await readFile(file))).value };
      uploaded += 1;
      if (tty) process.stderr.write(`\ruploaded ${uploaded}/${files.length} images`);
    }
  };
  await Promise.all(Array.from({ length: UPLOAD_CONCURRENCY }, worker));
  if (files.length > 0) process.stderr.write(tty ? "\n" : `uploaded ${uploaded} images\n`);
  return uploads;
}

/** `13/40 (12 done, 1 failed)`, or what is known of it. */
function progressOf(status: BatchJobStatus): string {
  if (status.total === undefined) return "-";
  const done = status.done ?? 0;
  const failed = status.failed ?? 0;
  return `${done + failed}/${status.total} (${done} done, ${failed} failed)`;
}
