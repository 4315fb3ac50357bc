import { readFileSync } from "node:fs";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkflowEngine } from "@cvflow/blocks";
import { Detections, SKIP, type RestoredStep, type StepCheckpoints, type StepEvent } from "@cvflow/engine";
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import { sortableId } from "@cvflow/store";
import { createVisionModels, WorkflowImage } from "@cvflow/vision";
import { missing, MODELS_DIR, sharedPhoto } from "@cvflow/vision/test-assets";
import { runKeys } from "../src/layout.js";
import { S3StepCheckpoints } from "../src/s3-step-checkpoints.js";
import { encodeStepOutput } from "../src/step-values.js";

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3?.close();
});

async function read(key: string): Promise<Uint8Array> {
  return (await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }))).Body!.transformToByteArray();
}

async function keysOf(runId: string): Promise<string[]> {
  const page = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: runKeys.steps(runId) }));
  return (page.Contents ?? []).map((object) => object.Key!.slice(runKeys.steps(runId).length)).sort();
}

describe("S3StepCheckpoints", () => {
  const timing = { startedAt: 1_767_225_600_000, durationMs: 12.5, elements: 2, skipped: 1 };

  it("keeps a step's output and timing under runs/{id}/steps/, its binaries as parts, and restores them", async () => {
    const runId = sortableId();
    const checkpoints = new S3StepCheckpoints(s3.client, s3.bucket, runId);
    expect(await checkpoints.restore("detect")).toBeUndefined();
    const detections = Detections.empty({ width: 4, height: 3 });
    await checkpoints.save("detect a/b", [{ predictions: detections, bytes: Buffer.from("abc") }, SKIP], timing);
    // The step name is one key segment; the packed binaries are part 0.
    expect(await keysOf(runId)).toEqual(["detect%20a%2Fb.json", "detect%20a%2Fb/0.bin"]);
    const restored = await checkpoints.restore("detect a/b");
    expect(restored).toEqual({ output: [{ predictions: detections, bytes: Buffer.from("abc") }, SKIP], timing });
  });

  it("takes a checkpoint whose parts do not match its document (a save cut short) for none, so that the step runs again", async () => {
    const runId = sortableId();
    const checkpoints = new S3StepCheckpoints(s3.client, s3.bucket, runId);
    await checkpoints.save("s", [{ bytes: Uint8Array.of(1, 2, 3) }], timing);
    expect(await checkpoints.restore("s")).toEqual({ output: [{ bytes: Uint8Array.of(1, 2, 3) }], timing });
    // A part of an earlier save of the step, of the same length: the CRC tells it apart.
    const other = await read(runKeys.stepPart(runId, "s", 0));
    other[other.length - 1]! ^= 0xff;
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: runKeys.stepPart(runId, "s", 0), Body: other }));
    expect(await checkpoints.restore("s")).toBeUndefined();
    await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: runKeys.stepPart(runId, "s", 0) }));
    expect(await checkpoints.restore("s")).toBeUndefined();
  });
});

describe("a flow-controlled run resumed from checkpoints in S3", () => {
  const definition = {
    version: "1.0",
    inputs: [{ type: "WorkflowBatchInput", name: "values" }],
    steps: [
      {
        type: "ContinueIf",
        name: "gate",
        condition_statement: {
          type: "StatementGroup",
          statements: [{ type: "BinaryStatement", left_operand: { type: "DynamicOperand", operand_name: "v" }, comparator: { type: "(Number) >=" }, right_operand: { type: "StaticOperand", value: 2 } }],
        },
        evaluation_parameters: { v: "$inputs.values" },
        next_steps: ["$steps.kept"],
      },
      { type: "PropertyDefinition", name: "kept", data: "$inputs.values", operations: [] },
    ],
    outputs: [{ type: "JsonField", name: "kept", selector: "$steps.kept.output" }],
  };

  it("restores a flow-control step's decisions, so that the step it gates runs for the same elements", async () => {
    const engine = createWorkflowEngine();
    const inputs = { values: [1, 2, 3, 0] };
    const first = new S3StepCheckpoints(s3.client, s3.bucket, sortableId());
    const expected = await engine.run(definition, inputs, { checkpoints: first });
    expect(expected.outputs).toEqual([{ kept: null }, { kept: 2 }, { kept: 3 }, { kept: null }]);
    const events: StepEvent[] = [];
    const resumed: StepCheckpoints = { restore: (step, signal) => (step === "gate" ? first.restore(step, signal) : Promise.resolve(undefined)), save: async () => {} };
    const actual = await engine.run(definition, inputs, { checkpoints: resumed, onEvent: (e) => events.push(e) });
    expect(actual.outputs).toEqual(expected.outputs);
    expect(events.filter((e) => e.type === "step_finished").map((e) => [e.step, e.type === "step_finished" && e.reused === true, e.type === "step_finished" && e.elements, e.type === "step_finished" && e.skipped])).toEqual([
      ["gate", true, 4, 0],
      ["kept", false, 2, 2],
    ]);
  });
});

const NEEDS = { models: ["yolov8n-640", "mobilenetv2-imagenet"], photos: ["bus.jpg"] };

describe.skipIf(missing("checkpointed detect -> crop -> classify on bus.jpg", NEEDS))("a run resumed from checkpoints in S3", () => {
  const definition = {
    version: "1.0",
    inputs: [{ type: "WorkflowImage", name: "image" }],
    steps: [
      { type: "roboflow_core/roboflow_object_detection_model@v2", name: "detect", images: "$inputs.image", model_id: "yolov8n-640" },
      { type: "roboflow_core/dynamic_crop@v1", name: "crop", images: "$inputs.image", predictions: "$steps.detect.predictions" },
      { type: "roboflow_core/roboflow_classification_model@v2", name: "classify", images: "$steps.crop.crops", model_id: "mobilenetv2-imagenet" },
    ],
    outputs: [
      { type: "JsonField", name: "predictions", selector: "$steps.detect.predictions" },
      { type: "JsonField", name: "crops", selector: "$steps.crop.crops" },
      { type: "JsonField", name: "classes", selector: "$steps.classify.predictions" },
    ],
  };

  /** What is made anew on every run or serialization (ids of a model call, its time, a photo's "now" as a frame time) is left out. */
  const fresh = new Set(["inference_id", "time", "frame_timestamp"]);
  const comparable = (outputs: unknown): unknown => JSON.parse(JSON.stringify(outputs, (key, value: unknown) => (fresh.has(key) ? "<fresh>" : value)));

  it("gives the same serialized outputs when every step but the last is restored instead of run", async () => {
    const engine = createWorkflowEngine({ models: createVisionModels({ modelsDir: MODELS_DIR }) });
    const inputs = { image: { type: "base64", value: readFileSync(sharedPhoto("bus.jpg")).toString("base64") } };

    const first = new S3StepCheckpoints(s3.client, s3.bucket, sortableId());
    const expected = await engine.run(definition, inputs, { checkpoints: first });
    const crops = (expected.outputs[0]!["crops"] as unknown[]).length;
    expect(crops).toBeGreaterThanOrEqual(4); // bus.jpg: the bus and the people in front of it

    // The second run restores detect and crop from the first's checkpoints and runs classify on the restored crops.
    const restored = new Map<string, RestoredStep>();
    const second = new S3StepCheckpoints(s3.client, s3.bucket, sortableId());
    const resumed: StepCheckpoints = {
      restore: async (step, signal) => {
        if (step === "classify") return undefined;
        const found = await first.restore(step, signal);
        if (found) restored.set(step, found);
        return found;
      },
      save: (step, output, timing, signal) => second.save(step, output, timing, signal),
    };
    const events: StepEvent[] = [];
    const actual = await engine.run(definition, inputs, { checkpoints: resumed, onEvent: (e) => events.push(e) });

    expect(events.map((e) => `${e.type} ${e.step}${e.type === "step_finished" && e.reused ? " reused" : ""}`)).toEqual([
      "step_finished detect reused",
      "step_finished crop reused",
      "step_started classify",
      "step_finished classify",
    ]);
    expect(comparable(actual.outputs)).toEqual(comparable(expected.outputs));
    // Byte for byte: what was restored encodes to the very document and parts the first run saved.
    for (const step of ["detect", "crop"]) {
      const document = JSON.parse(Buffer.from(await read(runKeys.step(first.runId, step))).toString()) as { output: unknown; parts: { length: number }[] };
      const again = await encodeStepOutput(restored.get(step)!.output);
      expect(again.json, step).toEqual(document.output);
      expect(again.parts.map((p) => p.length), step).toEqual(document.parts.map((p) => p.length));
      for (const [n, part] of again.parts.entries()) expect(Buffer.compare(Buffer.from(part), await read(runKeys.stepPart(first.runId, step, n))), `${step} part ${n}`).toBe(0);
    }
    // Each crop is a part of its own, its raw RGB pixels (a crop has no encoded bytes); the rest shares one part.
    const cropImages = (restored.get("crop")!.output as { crops: WorkflowImage }[][])[0]!.map((record) => record.crops);
    expect(cropImages.every((image) => image instanceof WorkflowImage && image.lineage.rootOrigin !== null)).toBe(true);
    const cropParts = (JSON.parse(Buffer.from(await read(runKeys.step(first.runId, "crop"))).toString()) as { parts: { length: number }[] }).parts.map((p) => p.length);
    expect(cropParts).toHaveLength(crops + 1);
    expect(cropParts).toEqual(expect.arrayContaining(cropImages.map((image) => image.width * image.height * 3)));
    expect(await keysOf(second.runId)).toEqual(["classify.json"]);
  });
});
