/**
 * insertStep against the real blocks (the service's own /workflows/blocks/describe) and the real
 * validator: every block's step lands in the demo definition, the rest of the text unchanged, and
 * only its placeholders are flagged — each at its own field.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createTestService } from "@cvflow/service/testing";
import type { BlockDescription, BlocksDescription } from "@cvflow/wire";
import { beforeAll, describe, expect, it } from "vitest";
import { blockFields } from "../src/blocks/block-fields.js";
import { insertStep, InsertStepError, PLACEHOLDER_STEP, snakeCase } from "../src/blocks/insert-step.js";

const DEMO = readFileSync(new URL("../../../examples/detect-crop-classify.workflow.json", import.meta.url), "utf8");
const demoStepCount = (JSON.parse(DEMO) as { steps: unknown[] }).steps.length;

let service: Awaited<ReturnType<typeof createTestService>>["service"];
let blocks: BlockDescription[];

async function call(method: string, path: string, body?: string): Promise<{ statusCode: number; body: any }> {
  const response = await service.handle({
    method,
    path,
    query: "",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: Buffer.from(body) }),
    requestId: randomUUID(),
  });
  return { statusCode: response.statusCode, body: JSON.parse(response.body ?? "") };
}

function block(id: string): BlockDescription {
  const found = blocks.find((b) => b.manifest_type_identifier === id);
  if (!found) throw new Error(`no block ${id}`);
  return found;
}

beforeAll(async () => {
  ({ service } = await createTestService());
  blocks = ((await call("GET", "/workflows/blocks/describe")).body as BlocksDescription).blocks;
});

describe("insertStep", () => {
  it("appends a crop step wired to the image input, with a placeholder for its predictions, and keeps the text before it", () => {
    const crop = block("roboflow_core/dynamic_crop@v1");
    const { text, stepName } = insertStep(DEMO, crop);
    expect(stepName).toBe("dynamic_crop");
    const lastStep = DEMO.lastIndexOf('"text": "Class and Confidence" }') + '"text": "Class and Confidence" }'.length;
    expect(text.slice(0, lastStep)).toBe(DEMO.slice(0, lastStep));
    expect(text.slice(text.length - (DEMO.length - lastStep))).toBe(DEMO.slice(lastStep));
    const steps = (JSON.parse(text) as { steps: Record<string, unknown>[] }).steps;
    expect(steps).toHaveLength(demoStepCount + 1);
    expect(steps.at(-1)).toEqual({
      type: "roboflow_core/dynamic_crop@v1",
      name: "dynamic_crop",
      images: "$inputs.image",
      predictions: `$steps.${PLACEHOLDER_STEP}.predictions`,
    });
    // Indented like the steps before it: four spaces, its fields six.
    expect(text).toContain(`,\n    {\n      "type": "roboflow_core/dynamic_crop@v1",\n      "name": "dynamic_crop",`);
  });

  it("gives every block's step a unique name and only placeholders the validator flags, at their fields", async () => {
    let flagged = 0;
    let valid = 0;
    for (const described of blocks) {
      const { text, stepName } = insertStep(DEMO, described);
      const step = (JSON.parse(text) as { steps: Record<string, unknown>[] }).steps[demoStepCount]!;
      expect(step["name"]).toBe(stepName);
      expect(stepName).toMatch(/^[a-z0-9_]+$/);
      const placeholders = Object.entries(step)
        .filter(([, value]) => JSON.stringify(value).includes(`$steps.${PLACEHOLDER_STEP}`))
        .map(([field]) => `/steps/${demoStepCount}/${field}`);
      const answer = await call("POST", "/workflows/validate", text);
      const pointers: string[] = answer.statusCode === 200 ? [] : answer.body.error.details.errors.map((e: { pointer: string }) => e.pointer);
      // Nothing outside the new step is flagged; each placeholder is.
      for (const pointer of pointers) expect(`${described.manifest_type_identifier} ${pointer}`).toMatch(new RegExp(` /steps/${demoStepCount}(/|$)`));
      for (const pointer of placeholders) {
        expect(pointers.some((p) => p === pointer || p.startsWith(`${pointer}/`)), `${described.manifest_type_identifier}: ${pointer} flagged`).toBe(true);
      }
      // Required fields with defaults only, or an image: the step is valid as inserted — unless the
      // block's own rule across fields asks for one it left out (Icon Visualization's dynamic mode
      // needs predictions), which is then flagged at that field, never at one inserted.
      const required = blockFields(described).filter((field) => field.required);
      if (placeholders.length === 0 && required.every((field) => field.hasDefault || field.kinds.includes("image"))) {
        const atFieldsLeftOut = pointers.map((p) => p.split("/")[3]).filter((field) => field !== undefined && !(field in step));
        expect(`${described.manifest_type_identifier}: ${answer.statusCode === 200 || (pointers.length > 0 && atFieldsLeftOut.length === pointers.length)}`).toBe(`${described.manifest_type_identifier}: true`);
      }
      if (placeholders.length > 0) flagged++;
      if (answer.statusCode === 200) valid++;
    }
    // Both cases are met by the core blocks (of ~60: most need a step's output; some take only an image).
    expect([flagged > 10, valid > 3]).toEqual([true, true]);
  });

  it("takes a free name: the one asked for, else the block's name with _2, _3", () => {
    const detection = block("roboflow_core/roboflow_object_detection_model@v2");
    const once = insertStep(DEMO, detection);
    expect(once.stepName).toBe("object_detection_model");
    expect(insertStep(once.text, detection).stepName).toBe("object_detection_model_2");
    expect(insertStep(DEMO, detection, "detection").stepName).toBe("detection_2");
    expect(insertStep(DEMO, detection, "people").stepName).toBe("people");
  });

  it("fills a model's required model_id with a placeholder and its image from the image input, whatever that input is called", () => {
    const definition = JSON.stringify({ version: "1.0", inputs: [{ type: "InferenceImage", name: "photo" }], steps: [], outputs: [] }, null, 2);
    const { text } = insertStep(definition, block("roboflow_core/roboflow_object_detection_model@v2"));
    expect(JSON.parse(text).steps).toEqual([
      { type: "roboflow_core/roboflow_object_detection_model@v2", name: "object_detection_model", images: "$inputs.photo", model_id: `$steps.${PLACEHOLDER_STEP}.model_id` },
    ]);
    // The empty array's brackets stay where they were; the step goes between them.
    expect(text).toContain(`"steps": [\n    {\n      "type"`);
    expect(text).toContain(`}\n  ],\n  "outputs": []`);
  });

  it("without an image input, leaves the image to choose; a list of steps gets a list placeholder", () => {
    const definition = `{"version": "1.0", "steps": [], "outputs": []}`;
    const crop = JSON.parse(insertStep(definition, block("roboflow_core/dynamic_crop@v1")).text).steps[0];
    expect(crop.images).toBe(`$steps.${PLACEHOLDER_STEP}.images`);
    const continueIf = JSON.parse(insertStep(definition, block("roboflow_core/continue_if@v1")).text).steps[0];
    expect(continueIf.next_steps).toEqual([`$steps.${PLACEHOLDER_STEP}`]);
  });

  it("adds to a wrapped definition's steps, and adds steps to a definition without any", () => {
    const wrapped = JSON.stringify({ specification: JSON.parse(DEMO) }, null, 2);
    const inWrapped = JSON.parse(insertStep(wrapped, block("roboflow_core/dynamic_crop@v1")).text);
    expect(inWrapped.specification.steps).toHaveLength(demoStepCount + 1);
    expect(inWrapped.steps).toBeUndefined();
    const bare = `{\n  "version": "1.0",\n  "outputs": []\n}`;
    const added = insertStep(bare, block("roboflow_core/dynamic_crop@v1")).text;
    expect(JSON.parse(added).steps[0].name).toBe("dynamic_crop");
    expect(added.startsWith(`{\n  "version": "1.0",\n  "outputs": []`)).toBe(true);
  });

  it("refuses a text that is no JSON object, saying so", () => {
    expect(() => insertStep("", block("roboflow_core/dynamic_crop@v1"))).toThrow(InsertStepError);
    expect(() => insertStep("[1, 2]", block("roboflow_core/dynamic_crop@v1"))).toThrow(/not a JSON object/);
  });

  it("names steps in snake case", () => {
    expect(snakeCase("Object Detection Model")).toBe("object_detection_model");
    expect(snakeCase("SAHI: Image Slicer")).toBe("sahi_image_slicer");
    expect(snakeCase("Détections Filter")).toBe("detections_filter");
    expect(snakeCase("!!")).toBe("step");
  });
});
