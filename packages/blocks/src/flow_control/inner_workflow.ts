/**
 * Inner Workflow: a workflow used as a step. Its manifest is here so that describe and the
 * definition schema list it with Roboflow's fields; the step itself never runs — the compiler
 * inlines the child's steps in its place (packages/engine/src/inner-workflows.ts), and the
 * service loads a saved workflow named by workspace and id before compiling.
 */
import { defineBlock, INNER_WORKFLOW_LIMITS, INNER_WORKFLOW_TYPE, internalError } from "@cvflow/engine";

const text = { type: ["string", "null"] as ("string" | "null")[] };

export const innerWorkflowBlock = defineBlock({
  manifest: {
    type: INNER_WORKFLOW_TYPE,
    name: "Inner Workflow",
    description:
      "Runs a nested workflow as part of this one: its steps are inlined at compile time (named <step>__<child step>), its inputs take the values of parameter_bindings, " +
      "and $steps.<step>.<output> selects the child's output of that name. Give the child inline in workflow_definition, or name a saved workflow " +
      `with workflow_workspace_id and workflow_id (and optionally workflow_version_id). Workflows that include each other are refused; at most ${INNER_WORKFLOW_LIMITS.depth} levels and ` +
      `${INNER_WORKFLOW_LIMITS.count} inner workflow steps in all.`,
    family: "flow_control",
    fields: {
      workflow_definition: {
        description: "The child workflow (version, inputs, steps, outputs). Either this or workflow_workspace_id with workflow_id.",
        schema: { type: ["object", "null"] },
        default: null,
      },
      workflow_workspace_id: { description: "Workspace of the saved workflow to include; use with workflow_id.", schema: text, default: null },
      workflow_id: { description: "Id (url) of the saved workflow to include; use with workflow_workspace_id.", schema: text, default: null },
      workflow_version_id: { description: "A version of that saved workflow; omitted: its current version.", schema: text, default: null },
      parameter_bindings: {
        description:
          "Child input name -> a selector of this workflow or a value. Every child input must be bound but a WorkflowParameter with a default_value.",
        shape: "dict",
        kinds: ["*"],
        required: true,
      },
    },
    outputs: [{ name: "*", kinds: ["*"], description: "The child workflow's outputs, by their names." }],
  },
  run: () => {
    throw internalError("An inner_workflow step runs only as the steps the compiler inlined in its place");
  },
});
