/** The README's curl, SDK and CLI examples, run as written against a real local stack. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStack } from "@cvflow/local";
import { testStack } from "./local-stack.js";
import { missing } from "@cvflow/vision/test-assets";
import { CLIENT_PYTHONPATH, findPython } from "./roboflow-client/python.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(`${root}README.md`, "utf8");
const exec = promisify(execFile);
const README_URL = "http://127.0.0.1:9001";

function example(name: string): string {
  const match = new RegExp(`<!-- example: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README has no example "${name}"`);
  return match[1]!;
}

/** Shell commands of a block: lines, with backslash continuations joined. */
function commands(block: string): string[] {
  return block.replace(/\\\n\s*/g, " ").split("\n").filter((line) => line.trim() !== "");
}

describe.skipIf(missing("README: calling the service", { models: ["yolov8n-640", "mobilenetv2-imagenet"] }))("README: calling the service", () => {
  let stack: LocalStack;
  let env: NodeJS.ProcessEnv;
  const shell = async (command: string) => (await exec("bash", ["-c", command.replaceAll(README_URL, stack.url)], { cwd: root, env, maxBuffer: 64 * 1024 * 1024 })).stdout;

  beforeAll(async () => {
    stack = await testStack({ examplesDir: undefined });
    env = { ...process.env, CVFLOW_URL: stack.url, CVFLOW_API_KEY: stack.apiKey, PATH: `${root}node_modules/.bin:${process.env["PATH"]}` };
  });
  afterAll(() => stack?.close());

  it("curl: health, then a saved demo workflow on a photo", async () => {
    const [health, run] = commands(example("curl"));
    expect(JSON.parse(await shell(health!))).toEqual({ status: "ok", version: "0.1.0" });
    const { outputs } = JSON.parse(await shell(run!)) as { outputs: { predictions: { image: unknown; predictions: { class: string }[] } }[] };
    expect(outputs[0]!.predictions.image).toEqual({ width: 600, height: 400 });
    expect(outputs[0]!.predictions.predictions.map((p) => p.class)).toContain("cup");
    expect(Object.keys(outputs[0]!)).toEqual(["predictions"]);
  }, 60_000);

  it("SDK: the example file, shown verbatim, runs a saved workflow and versions one of its own — run twice, as the README says", async () => {
    expect(readme).toContain("```ts\n" + readFileSync(`${root}examples/sdk-client.ts`, "utf8") + "```");
    const [run] = commands(example("sdk-run"));
    for (const expected of ["2", "3"]) {
      const [classes, versions] = (await shell(run!)).trim().split("\n");
      expect(classes).toMatch(/^\[ '.+' \]$/);
      expect(versions).toBe(expected); // the second run finds "cups" saved (409 workflow_exists) and updates it again
    }
  }, 60_000);

  it("Python: Roboflow's client runs the README's snippet unchanged", async (context) => {
    const found = findPython();
    if (!("python" in found)) return context.skip();
    const { stdout } = await exec(found.python, ["-c", example("python-client")], { cwd: root, env: { ...env, PYTHONPATH: CLIENT_PYTHONPATH, PYTHONWARNINGS: "ignore" } });
    expect(stdout.trim()).toMatch(/^\['.+'(, '.+')*\]$/);
  }, 60_000);

  it("CLI: list, run, validate", async () => {
    const [list, run, validate] = commands(example("cli"));
    expect(await shell(list!)).toMatch(/^detect-crop-classify\s+detect crop classify\s+no\s/m);
    const ran = await shell(run!);
    expect(ran).toMatch(/^detected\s+<4 predictions: dog 0\.\d\d, bicycle/m);
    expect(ran).toMatch(/^annotated\s+<image\/jpeg 768×576 /m);
    expect((await shell(validate!)).trim()).toBe("examples/sahi.workflow.json: valid");
  }, 60_000);

  it("runs: start without waiting, follow the events to the end, read the record", async () => {
    // One script: the commands share $RUN (the first prints nothing: its output is the id RUN holds).
    const lines = (await shell(example("runs"))).trimEnd().split("\n");
    const time = String.raw`\d\d:\d\d:\d\d\.\d{3}`;
    expect(lines[0]).toMatch(new RegExp(`^1  ${time}  run_queued$`));
    expect(lines[2]).toMatch(new RegExp(`^3  ${time}  step_started  detection \\(roboflow_core/roboflow_object_detection_model@v2\\)$`));
    const finished = lines.findIndex((line) => / {2}run_finished {2}succeeded \d+(\.\d)? ms$/.test(line));
    expect(finished).toBeGreaterThan(2);
    const record = lines.slice(finished + 1).join("\n");
    expect(record).toMatch(/^run +[0-9a-z]{25}\nstatus +succeeded\nworkflow +demo\/detect-crop-classify\n/);
    expect(record).toMatch(/\n {2}detection +succeeded +\d+(\.\d)? ms +1\n/);
    expect(record).toMatch(/\n {2}detected +<\d+ predictions: dog 0\.\d\d/);
  }, 60_000);

  it("batch: a folder in-process, then the same folder as a job on the service", async () => {
    const [directory, submit] = commands(example("batch"));
    const out = mkdtempSync(join(tmpdir(), "cvflow-readme-results-"));
    await shell(directory!.replace("-o results", `-o ${out}`));
    const csv = readFileSync(join(out, "aggregated_results.csv"), "utf8").trim().split("\r\n");
    expect(csv[0]!.split(",")[0]).toBe("image");
    expect(csv.slice(1).map((row) => row.split(",")[0]).sort()).toEqual(["care-label", "coffee", "dog", "mosaic"]);

    const job = (await shell(submit!)).trim();
    expect(job).toMatch(/^[\w-]+$/);
    let status: { state: string; done: number; failed: number } | undefined;
    for (let i = 0; i < 600 && !["succeeded", "completed_with_failures", "failed", "aborted"].includes(status?.state ?? ""); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await (await fetch(`${stack.url}/batch/jobs/${job}`, { headers: { authorization: `Bearer ${stack.apiKey}` } })).json()) as typeof status;
    }
    expect(status).toMatchObject({ state: "succeeded", done: 4, failed: 0 });
  }, 120_000);
});
