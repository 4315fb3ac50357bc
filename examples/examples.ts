/**
 * The demo workflows: each `NAME.workflow.json` runs with `NAME.inputs.json`, whose image inputs
 * name files under this folder (`{"type": "file", "value": "images/dog.jpg"}`).
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createWorkflowEngine } from "@cvflow/blocks";
import type { WorkflowEngine } from "@cvflow/engine";
import type { VisionModels } from "@cvflow/vision";

export const EXAMPLES_DIR = fileURLToPath(new URL(".", import.meta.url));

export interface Example {
  name: string;
  definition: Record<string, unknown>;
  inputs: Record<string, unknown>;
}

export function listExamples(): Example[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".workflow.json"))
    .sort()
    .map((file) => {
      const name = file.slice(0, -".workflow.json".length);
      const text = readFileSync(`${EXAMPLES_DIR}${file}`, "utf8");
      return {
        name,
        definition: JSON.parse(text) as Record<string, unknown>,
        inputs: JSON.parse(readFileSync(`${EXAMPLES_DIR}${name}.inputs.json`, "utf8")) as Record<string, unknown>,
      };
    });
}

/** An engine that reads the examples' image files, with the given model runtime. */
export function examplesEngine(models?: VisionModels): WorkflowEngine {
  return createWorkflowEngine({ models, images: { fileRoot: EXAMPLES_DIR } });
}
