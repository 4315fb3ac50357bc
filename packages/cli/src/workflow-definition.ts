/**
 * `--workflow <spec.json | ws/id>` of the commands that run a workflow in-process: its definition,
 * fetched once, with the saved workflows its inner_workflow steps name read in place. The local
 * engine has no store: saved workflows, the named one and the ones it includes, are read through
 * the API (--url, --api-key), so a definition that includes one needs a service to read it from.
 */
import { hasInnerWorkflowReferences, resolveInnerWorkflows, savedWorkflowLoader, type InnerWorkflowReference } from "@cvflow/engine";
import { CvflowError, type CvflowClient, type Specification } from "@cvflow/sdk";
import type { Command } from "commander";
import { parseTarget, readSpecification } from "./arguments.js";
import { clientFor } from "./context.js";
import { asCvflowError } from "./errors.js";
import { usageError } from "./exit-codes.js";

/** `--workflow`'s help: where saved workflows come from. */
export const WORKFLOW_OPTION_HELP =
  "spec.json, or workspace/workflow-id; saved workflows (this one, and those its inner_workflow steps name) are read once from --url with --api-key, so a definition that includes one needs that service";

/** A saved workflow is read through the API; a file as it is, bare or wrapped. */
export async function workflowDefinition(text: string, command: Command): Promise<Specification> {
  const target = parseTarget(text) ?? usageError(command, `--workflow "${text}" is neither a .json file nor workspace/workflow-id`);
  if ("file" in target) {
    const specification = readSpecification(target.file);
    // The service's rule for an inline definition is what the caller's key may run and public
    // workflows: here, what the service lets this key read.
    return hasInnerWorkflowReferences(specification) ? withInnerWorkflows(clientFor(command), specification, () => true) : specification;
  }
  const client = clientFor(command);
  const { specification } = await client.getWorkflow(target.workspace, target.id);
  // A saved workflow includes its own workspace's workflows and public ones.
  return withInnerWorkflows(client, specification, (workspace) => workspace === target.workspace, { workspace: target.workspace, id: target.id });
}

async function withInnerWorkflows(client: CvflowClient, specification: Specification, allowed: (workspace: string) => boolean, root?: InnerWorkflowReference): Promise<Specification> {
  const load = savedWorkflowLoader(
    {
      current: (workspace, id) =>
        readable(async () => {
          const { workflow, specification: child } = await client.getWorkflow(workspace, id);
          return { versionId: workflow.versionId, public: workflow.public, specification: child };
        }),
      version: (workspace, id, versionId) => readable(async () => ({ specification: (await client.getWorkflow(workspace, id, { versionId })).specification })),
    },
    allowed,
  );
  try {
    return (await resolveInnerWorkflows(specification, load, root)) as Specification;
  } catch (error) {
    throw asCvflowError(error);
  }
}

/** What the service refuses to show this key (401, 403, 404) is, for the definition, a workflow not found; a service that does not answer is not hidden. */
async function readable<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CvflowError && error.status >= 400 && error.status < 500) return undefined;
    throw error;
  }
}
