/** `cvflow describe <spec.json | ws/id>` */
import type { Command } from "commander";
import { parseTarget, readSpecification } from "../arguments.js";
import { clientFor, globalOptions } from "../context.js";
import { usageError } from "../exit-codes.js";
import { printJson, printLines, table } from "../output.js";

export function addDescribeCommand(program: Command): void {
  program
    .command("describe")
    .description("list a workflow's inputs and outputs with their kinds")
    .argument("<target>", "spec.json, or workspace/workflow-id")
    .action(async (text: string, _flags: object, command: Command) => {
      const target = parseTarget(text);
      if (!target) usageError(command, `"${text}" is neither a .json file nor workspace/workflow-id`);
      const client = clientFor(command);
      const described = "file" in target ? await client.describeInterface(readSpecification(target.file)) : await client.describeInterface({ workspace: target.workspace, workflowId: target.id });
      if (globalOptions(command).json) {
        printJson(described);
        return;
      }
      const rows = (kinds: Record<string, string[]>) => Object.entries(kinds).map(([name, list]) => ["  " + name, list.join(" | ")]);
      printLines("inputs", ...table(rows(described.inputs)), "outputs", ...table(rows(described.outputs)));
    });
}
