/**
 * The bundled handlers, as the image holds them (.build/image, `npm run build:image`), each in a
 * fresh process as Lambda runs it: the API answers Function URL events (and serves the debugger
 * page the image carries), the trigger an S3 event; the batch steps' ffmpeg is the image's.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN_DIR, FFMPEG_BINARIES } from "../image-layout.js";
import { functionUrlEvent, objectCreatedEvent, BUCKET, startImageStack, STATE_MACHINE_ARN, type ImageStack } from "./image-harness.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const read = (file: string): unknown => JSON.parse(readFileSync(new URL(`../../examples/${file}`, import.meta.url), "utf8"));

describe("the image's handlers", () => {
  let stack: ImageStack;
  beforeAll(async () => {
    stack = await startImageStack();
  });
  afterAll(() => stack?.close());

  it("the API answers GET /health and runs a workflow (the shelf audit: pure compute) on Function URL events", async () => {
    const run = { specification: read("shelf-audit.workflow.json"), inputs: read("shelf-audit.inputs.json"), excluded_fields: ["shelf"] };
    const { invocations } = await stack.invoke("api", [
      functionUrlEvent("GET", "/health"),
      functionUrlEvent("POST", "/workflows/run", { headers: { authorization: `Bearer ${stack.apiKey}` }, body: run }),
    ]);
    const [health, ran] = invocations.map((invocation) => invocation.result);
    expect(health).toMatchObject({ statusCode: 200, headers: { "content-type": "application/json; charset=utf-8" } });
    expect(JSON.parse(health.body)).toEqual({ status: "ok", version: expect.any(String) });
    expect(ran.statusCode).toBe(200);
    const outputs = JSON.parse(ran.body).outputs as { summary: string; report: string | null }[];
    expect(outputs.map((output) => output.summary)).toEqual(["3 of 3 products on the shelf (bottle, bottle, cup): OK", "1 of 3 products on the shelf (bottle): RESTOCK"]);
    // The CSV comes with the batch's last element.
    expect(outputs[1]!.report).toMatch(/^products,status,timestamp\n3,OK,.+\n1,RESTOCK,/);
  });

  it("the API refuses a run without a key, with the error envelope", async () => {
    const { invocations } = await stack.invoke("api", [functionUrlEvent("POST", "/workflows/run", { body: { specification: read("shelf-audit.workflow.json") } })]);
    const answer = invocations[0]!.result;
    expect(answer.statusCode).toBe(401);
    expect(JSON.parse(answer.body).error).toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("the API serves the debugger page the image carries in ui/: the page at /, and the script it names", async () => {
    const index = readFileSync(new URL("../../.build/image/ui/index.html", import.meta.url), "utf8");
    const script = /<script type="module" crossorigin src="(\/ui\/assets\/[^"]+\.js)"><\/script>/.exec(index)?.[1];
    expect(script, index).toBeDefined();
    const { invocations } = await stack.invoke("api", [functionUrlEvent("GET", "/", { headers: { accept: "text/html" } }), functionUrlEvent("GET", script!)]);
    const [page, asset] = invocations.map((invocation) => invocation.result);
    expect(page).toMatchObject({ statusCode: 200, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" }, body: index });
    expect(page.headers["content-security-policy"]).toMatch(/^default-src 'self'; /);
    expect(asset).toMatchObject({ statusCode: 200, headers: { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=31536000, immutable" } });
    expect(asset.body.length).toBeGreaterThan(10_000);
  });

  it("the trigger starts an execution for batches/{job}/job.json, through Step Functions' API", async () => {
    const { invocations } = await stack.invoke("batch-trigger", [objectCreatedEvent("batches/job-1/job.json", "0065A1B2C3D4E5F6")]);
    expect(invocations[0]!.result).toEqual({ started: ["job-1-0065A1B2C3D4E5F6"], existing: [], ignored: [] });
    expect(stack.startExecutions).toEqual([
      {
        target: "AWSStepFunctions.StartExecution",
        body: { stateMachineArn: STATE_MACHINE_ARN, name: "job-1-0065A1B2C3D4E5F6", input: JSON.stringify({ job: "job-1", bucket: BUCKET }) },
      },
    ]);
  });

  it("the runs function loads in the image (the durable SDK bundled) and refuses an event that is no durable invocation", async () => {
    const { invocations } = await stack.invoke("runs", [{}]);
    expect(invocations.map((invocation) => invocation.error)).toEqual([expect.stringMatching(/^Error: Unexpected payload provided to start the durable execution\./)]);
  });

  it("prepare, the worker and finalize load in the image, and answer an empty event with their own refusal", async () => {
    const refusals = { "batch-prepare": /^cvflow\.JobRefused: /, "batch-worker": /^TypeError: Cannot read properties of undefined \(reading '(check_done|job)'\)/, "batch-finalize": /^WorkflowError: A job is a JSON object/ };
    for (const [bundle, refusal] of Object.entries(refusals)) {
      const { invocations } = await stack.invoke(bundle as keyof typeof refusals, [{}]);
      expect(invocations.map((invocation) => invocation.error)).toEqual([expect.stringMatching(refusal)]);
    }
  });

  it("a batch step runs the image's static ffmpeg and ffprobe: packages/video writes a clip with libx264, probes it and decodes it back", async () => {
    const env = stack.environment("batch-worker");
    for (const binary of FFMPEG_BINARIES) {
      expect(env[binary.env]).toBe(join(stack.taskRoot, BIN_DIR, binary.file));
      // Lambda runs the function as a user that does not own the image's files.
      expect((await stat(env[binary.env]!)).mode & 0o777).toBe(0o755);
    }
    const out = await mkdtemp(join(tmpdir(), "cvflow-image-video-"));
    try {
      // The step's variables and no PATH: no other ffmpeg can answer.
      const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "infra/test/image-video.ts", out], { cwd: REPO, env });
      const clip = JSON.parse(stdout.trim().split("\n").at(-1)!) as { codec: string; probe: unknown; written: unknown[]; decoded: unknown[] };
      expect(clip.codec).toBe("libx264");
      expect(clip.probe).toEqual({ width: 64, height: 48, fps: 10, frameCount: 10, durationSeconds: 1, codec: "h264" });
      expect(clip.written).toHaveLength(10);
      // The moving square comes back where it was drawn, in every frame.
      expect(clip.decoded).toEqual(clip.written);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
