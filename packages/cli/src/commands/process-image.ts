/** `cvflow process-image IMAGE --workflow <spec.json | ws/id> [-o OUT]`: one image, in-process. */
import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Command } from "commander";
import { asCvflowError, fileNotReadable } from "../errors.js";
import { collectParam } from "../arguments.js";
import { globalOptions } from "../context.js";
import { outputLines, printJson, printLines } from "../output.js";
import { WORKFLOW_OPTION_HELP, workflowDefinition } from "../workflow-definition.js";

interface ImageFlags {
  workflow: string;
  output?: string;
  param?: Record<string, unknown>;
  saveImageOutputs?: boolean;
  imageInput: string;
}

export function addProcessImageCommand(program: Command): void {
  program
    .command("process-image")
    .description("run a workflow in-process on one image: print its outputs, or write them as process-images-directory does")
    .argument("<image>", "an image file")
    .requiredOption("--workflow <target>", WORKFLOW_OPTION_HELP)
    .option("-o, --output <dir>", "write OUT/<name>/results.json (and image outputs) instead of printing")
    .option("-p, --param <name=value>", "a parameter input; the value is read as JSON when it parses", collectParam)
    .option("--save-image-outputs", "with -o: write image outputs as JPEG files")
    .option("--image-input <name>", "the workflow input the image feeds", "image")
    .addHelpText("after", "\nExamples:\n  cvflow process-image photo.jpg --workflow examples/detect-and-visualize.workflow.json\n  cvflow process-image photo.jpg --workflow acme/shelf -o results --save-image-outputs")
    .action(async (image: string, flags: ImageFlags, command: Command) => {
      const workflow = await workflowDefinition(flags.workflow, command);
      const [{ imageRunner }, { writeImageResult }, { imageName }] = await Promise.all([
        import("../directory/image-runner.js"),
        import("../directory/image-results.js"),
        import("@cvflow/batch/output"),
      ]);
      const run = imageRunner(workflow, { parameters: flags.param ?? {}, imageInput: flags.imageInput });
      const bytes = await readFile(image).catch((error: Error) => {
        throw fileNotReadable(image, error.message);
      });
      const outputs = await run(bytes).catch((error: unknown) => {
        throw asCvflowError(error);
      });
      if (flags.output) {
        const source = resolve(image);
        const document = await writeImageResult(resolve(flags.output), imageName(source, dirname(source)), source, outputs, Boolean(flags.saveImageOutputs));
        if (globalOptions(command).json) printJson(document);
        else printLines(`results: ${flags.output}/${document.image}/results.json`);
      } else if (globalOptions(command).json) printJson(outputs);
      else printLines(...outputLines(outputs));
    });
}
