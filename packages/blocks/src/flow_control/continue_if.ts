/** Continue If: the steps in next_steps run only when the condition holds on evaluation_parameters. */
import { defineBlock } from "@cvflow/engine";
import { compileStatement } from "../uql/compile-statement.js";
import { statementGroupRef } from "../uql/schema-refs.js";

export const continueIfBlock = defineBlock<{
  condition_statement: object;
  evaluation_parameters: Record<string, unknown>;
  next_steps: string[];
}>({
  manifest: {
    type: "roboflow_core/continue_if@v1",
    aliases: ["ContinueIf"],
    name: "Continue If",
    description: "Continues to next_steps when the condition holds; otherwise that branch stops for this element.",
    family: "flow_control",
    flowControl: true,
    fields: {
      condition_statement: { description: "The condition.", schema: statementGroupRef, required: true },
      evaluation_parameters: {
        description: "Named values the condition refers to.",
        shape: "dict",
        kinds: ["*"],
        default: {},
      },
      next_steps: { description: "The steps to run when the condition holds.", shape: "list", steps: true, required: true },
    },
    outputs: [],
  },
  run: ({ condition_statement, evaluation_parameters, next_steps }) => {
    if (next_steps.length === 0) return { next: [] };
    const holds = compileStatement(condition_statement, "/condition_statement")(evaluation_parameters);
    return { next: holds ? next_steps : [] };
  },
});
