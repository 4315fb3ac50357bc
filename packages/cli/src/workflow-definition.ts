/** `--workflow <spec.json | ws/id>` of the commands that run a workflow in-process: its definition, fetched once. */
import type { Specification } from "@cvflow/sdk";
import type { Command } from "commander";
import { parseTarget, readSpecification } from "./arguments.js";
import { clientFor } from "./context.js";
import { usageError } from "./exit-codes.js";

/** A saved workflow is read through the API (--url, --api-key); a file as it is, bare or wrapped. */
export async function workflowDefinition(text: string, command: Command): Promise<Specification> {
  const target = parseTarget(text) ?? usageError(command, `--workflow "${text}" is neither a .json file nor workspace/workflow-id`);
  if ("file" in target) return readSpecification(target.file);
  return (await clientFor(command).getWorkflow(target.workspace, target.id)).specification;
}
