/**
 * `npm run demo`: runs the demo workflows in examples/ through the engine, in this process, and
 * prints their outputs (images shown by size). `npm run demo -- NAME` runs one of them. A demo
 * whose model is not installed (some downloads of `npm run models` failed, or it never ran) is
 * skipped with a line that says so, and so is one that waits for a person's answer (it needs an
 * async run of the service).
 */
import { WorkflowError } from "@cvflow/engine";
import { createVisionModels } from "@cvflow/vision";
import { examplesEngine, listExamples } from "../examples/examples.js";

const wanted = process.argv.slice(2);
const engine = examplesEngine(createVisionModels());

/** Image outputs are long base64 strings: show their kind and size instead. */
function readable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(readable);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record["type"] === "base64" && typeof record["value"] === "string") return `<image, ${Math.round((record["value"].length * 3) / 4 / 1024)} KiB JPEG>`;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, readable(v)]));
}

/** The CLI's `--image NAME=PATH` flags for an example's image files (examples/NAME.inputs.json). */
function imageFlags(inputs: Record<string, unknown>): string {
  return Object.entries(inputs)
    .filter(([, v]) => (v as { type?: unknown } | null)?.type === "file")
    .map(([name, v]) => `--image ${name}=examples/${(v as { value: string }).value}`)
    .join(" ");
}

for (const example of listExamples().filter((e) => wanted.length === 0 || wanted.includes(e.name))) {
  try {
    const started = performance.now();
    const { outputs } = await engine.run(example.definition, example.inputs, { deadlineMs: 20_000 });
    console.log(`cvflow: ran examples/${example.name} in ${Math.round(performance.now() - started)} ms`);
    console.log(JSON.stringify(readable(outputs), null, 2));
  } catch (error) {
    if (error instanceof WorkflowError && error.code === "model_not_installed") {
      const what = typeof error.details["model_id"] === "string" ? `model ${error.details["model_id"]}` : "its model";
      console.log(`cvflow: skipped ${example.name}: ${what} is not installed, run \`npm run models\``);
      continue;
    }
    // A demo that asks a person (cvflow/wait_for_input@v1) runs only as an async run of the service.
    if (error instanceof WorkflowError && error.code === "input_needs_async_run") {
      const start = `npx cvflow run demo/${example.name} ${imageFlags(example.inputs)} --nowait`;
      console.log(`cvflow: skipped ${example.name}: it waits for a person's answer, which only an async run can: with \`npm start\` running, \`${start}\`, then \`npx cvflow runs answer\` (docs/runs.md, Human input)`);
      continue;
    }
    const body = error instanceof WorkflowError ? error.toJSON() : { code: "start_failed", message: (error as Error).message };
    console.error(`cvflow: examples/${example.name} failed`);
    console.error(JSON.stringify({ error: body }, null, 2));
    process.exitCode = 1;
  }
}
