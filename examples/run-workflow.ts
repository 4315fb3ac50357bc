// Run a definition in-process: compile once (cached), run with inputs, read JSON outputs.
import { readFile } from "node:fs/promises";
import { coreBlocks } from "@cvflow/blocks";
import { BlockRegistry, WorkflowEngine } from "@cvflow/engine";

const engine = new WorkflowEngine({ registry: new BlockRegistry(coreBlocks) });
const definition: unknown = JSON.parse(await readFile(new URL("./shelf-audit.workflow.json", import.meta.url), "utf8"));

const { outputs } = await engine.run(
  definition,
  {
    predictions: [{
      image: { width: 640, height: 480 },
      predictions: [{ x: 100, y: 200, width: 50, height: 120, confidence: 0.9, class: "bottle", class_id: 39, detection_id: "a" }],
    }],
    expected: 1,
  },
  { deadlineMs: 20_000, excludedFields: ["shelf"] },
);

export const summary = outputs[0]?.["summary"];
console.log(summary); // 1 of 1 products on the shelf (bottle): OK
