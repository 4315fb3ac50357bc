/**
 * `npm start`: until the service lands, runs the demo workflow (examples/shelf-audit) through the
 * engine and prints its outputs. `npm start -- <workflow.json> [<inputs.json>]` runs another.
 */
import { readFile } from "node:fs/promises";
import { coreBlocks } from "@cvflow/blocks";
import { BlockRegistry, WorkflowEngine, WorkflowError } from "@cvflow/engine";

const [workflowPath = "examples/shelf-audit.workflow.json", inputsPath = workflowPath.replace(/\.workflow\.json$/, ".inputs.json")] = process.argv.slice(2);

const engine = new WorkflowEngine({ registry: new BlockRegistry(coreBlocks) });
try {
  const definition: unknown = JSON.parse(await readFile(workflowPath, "utf8"));
  const inputs = JSON.parse(await readFile(inputsPath, "utf8")) as Record<string, unknown>;
  const { outputs } = await engine.run(definition, inputs, { deadlineMs: 20_000 });
  console.log(`cvflow: ran ${workflowPath} with ${inputsPath}`);
  console.log(JSON.stringify(outputs, null, 2));
} catch (error) {
  const body = error instanceof WorkflowError ? error.toJSON() : { code: "start_failed", message: (error as Error).message };
  console.error(JSON.stringify({ error: body }, null, 2));
  process.exitCode = 1;
}
