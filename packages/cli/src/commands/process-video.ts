/**
 * `cvflow process-video -v VIDEO -o OUT --workflow <spec.json | ws/id>`: the workflow in-process
 * on every frame of a video (Roboflow's `inference workflows process-video`): a row per processed
 * frame, an mp4 per image output with --save-out-video, a progress bar, resumable. ffmpeg, the
 * engine and the models are loaded only when this command runs.
 */
import { Option, type Command } from "commander";
import { collectParam, positiveNumber } from "../arguments.js";
import { globalOptions } from "../context.js";
import { printJson, printLines } from "../output.js";
import { WORKFLOW_OPTION_HELP, workflowDefinition } from "../workflow-definition.js";

interface VideoFlags {
  video: string;
  output: string;
  workflow: string;
  param?: Record<string, unknown>;
  maxFps?: number;
  saveOutVideo?: boolean;
  outputFileType: "csv" | "jsonl";
  forceReprocessing?: boolean;
  imageInput: string;
}

export function addProcessVideoCommand(program: Command): void {
  program
    .command("process-video")
    .description("run a workflow in-process on every frame of a video: a row per frame, an annotated mp4 per image output")
    .requiredOption("-v, --video <path>", "the video file (anything ffmpeg reads)")
    .requiredOption("-o, --output <dir>", "where results go; a rerun into the same folder goes on after the last frame written")
    .requiredOption("--workflow <target>", WORKFLOW_OPTION_HELP)
    .option("-p, --param <name=value>", "a parameter input; the value is read as JSON when it parses", collectParam)
    .option("--max-fps <n>", "take at most this many frames per second of video", positiveNumber)
    .option("--save-out-video", "write each image output as an mp4 (source_0_output_<name>_preview.mp4)")
    .addOption(new Option("--output-file-type <type>", "the rows' format").choices(["csv", "jsonl"]).default("csv"))
    .option("--force-reprocessing", "start again from the first frame, replacing what an earlier run wrote")
    .option("--image-input <name>", "the workflow input the frames feed", "image")
    .addHelpText(
      "after",
      "\nRows: OUT/workflow_results.csv|jsonl (frame_number, frame_timestamp, then each output). A workflow input of type WorkflowVideoMetadata named video_metadata gets each frame's.\n\nExamples:\n  cvflow process-video -v people.mp4 -o out --workflow examples/detect-and-visualize.workflow.json --save-out-video\n  cvflow process-video -v people.mp4 -o out --workflow acme/counter --max-fps 5 --output-file-type jsonl",
    )
    .action(async (flags: VideoFlags, command: Command) => {
      const workflow = await workflowDefinition(flags.workflow, command);
      const [{ processVideo }, { progressDisplay }] = await Promise.all([import("../video/process-video.js"), import("../directory/progress-display.js")]);
      const display = progressDisplay(process.stderr, "frames");
      let last = { total: 0, done: 0, failed: 0, elapsedSeconds: 0, rate: 0 };
      const result = await processVideo({
        video: flags.video,
        output: flags.output,
        workflow,
        parameters: flags.param ?? {},
        imageInput: flags.imageInput,
        outputFileType: flags.outputFileType,
        saveOutVideo: Boolean(flags.saveOutVideo),
        forceReprocessing: Boolean(flags.forceReprocessing),
        ...(flags.maxFps === undefined ? {} : { maxFps: flags.maxFps }),
        onProgress: ({ frame, total, processed, elapsedSeconds }) => {
          last = { total: total ?? frame, done: frame, failed: 0, elapsedSeconds, rate: elapsedSeconds > 0 ? processed / elapsedSeconds : 0 };
          display.update(last);
        },
      });
      if (result.frames > 0) display.finish(last);
      if (globalOptions(command).json) return printJson(result);
      const resumed = result.resumedAfter > 0 ? ` (going on after frame ${result.resumedAfter})` : "";
      printLines(
        `processed ${result.frames} frames in ${result.seconds.toFixed(1)} s${resumed}: ${(result.frames / Math.max(result.seconds, 1e-9)).toFixed(1)} frames/s`,
        `results: ${flags.output}/${result.results}`,
        ...Object.entries(result.videos).map(([name, file]) => `${name}: ${flags.output}/${file}`),
      );
    });
}
