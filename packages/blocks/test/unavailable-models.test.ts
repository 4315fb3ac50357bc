/**
 * The model blocks whose models cvflow lacks (CLIP, Florence-2, SAM, ...): definitions using them
 * compile, with Roboflow's aliases, field aliases and outputs (dynamic ones too), and a run that
 * reaches one is a 400 model_unavailable naming the block and the model.
 */
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, WorkflowError, type Block, type FieldSpec } from "@cvflow/engine";
import { missing } from "@cvflow/vision/test-assets";
import { unavailableModelBlocks } from "../src/models/unavailable-models.js";
import { photo } from "./image-fixtures.js";

const engine = new WorkflowEngine({ registry: new BlockRegistry(unavailableModelBlocks as Block[]) });

/** A value for a required field: the input image where an image goes, else a literal its schema takes. */
function valueFor(field: FieldSpec): unknown {
  if (field.kinds?.includes("image")) return "$inputs.image";
  return field.schema?.type === "string" ? "a cat" : ["a cat"];
}

function oneStep(block: Block): Record<string, unknown> {
  const required = Object.entries(block.manifest.fields).filter(([, field]) => field.required);
  return { type: block.manifest.type, name: "model", ...Object.fromEntries(required.map(([name, field]) => [name, valueFor(field)])) };
}

const definition = (steps: unknown[], outputs: unknown[]) => ({ version: "1.0", inputs: [{ type: "WorkflowImage", name: "image" }], steps, outputs });

describe("model blocks without their models", () => {
  it("say so in describe's description", () => {
    expect(unavailableModelBlocks.length).toBe(29);
    for (const { manifest } of unavailableModelBlocks) expect(manifest.description, manifest.type).toContain("Model unavailable here");
  });

  it("compile under Roboflow's ids, aliases and field aliases, their outputs selectable (cog_vlm's from json_output_format)", () => {
    const steps = [
      { type: "ClipComparison", name: "clip", image: "$inputs.image", text: ["a cat", "a dog"] },
      { type: "roboflow_core/clip_comparison@v2", name: "clip2", images: "$inputs.image", classes: ["cat"] },
      { type: "YoloWorld", name: "world", images: "$inputs.image", class_names: ["bus"], confidence: 0.1 },
      { type: "CogVLM", name: "cog", images: "$inputs.image", prompt: "count", json_output_format: { count: "number of cats" } },
      { type: "roboflow_core/florence_2@v2", name: "florence", images: "$inputs.image", task_type: "phrase-grounded-object-detection", prompt: "bus", grounding_detection: "$steps.world.predictions" },
      { type: "roboflow_core/sam3@v3", name: "sam", images: "$inputs.image", class_names: "bus, person", output_format: "polygons" },
    ];
    const outputs = [
      { type: "JsonField", name: "similarity", selector: "$steps.clip.similarity" },
      { type: "JsonField", name: "best", selector: "$steps.clip2.most_similar_class" },
      { type: "JsonField", name: "count", selector: "$steps.cog.count" },
      { type: "JsonField", name: "florence", selector: "$steps.florence.parsed_output" },
      { type: "JsonField", name: "masks", selector: "$steps.sam.predictions" },
    ];
    expect(() => engine.compile(definition(steps, outputs))).not.toThrow();
    // Roboflow's literal choices are checked.
    expect(() => engine.compile(definition([{ ...steps[1]!, version: "ViT-Z" }], []))).toThrow(WorkflowError);
  });

  it.skipIf(missing("model blocks' runs", { photos: ["bus.jpg"] }))("each runs to a 400 model_unavailable that names the block and the model asked for", async () => {
    const image = await photo("bus.jpg");
    for (const block of unavailableModelBlocks) {
      const step = oneStep(block);
      const error = await engine.run(definition([step], [{ type: "JsonField", name: "out", selector: `$steps.model.${block.manifest.outputs[0]!.name}` }]), { image }).catch((e: unknown) => e);
      expect(error, block.manifest.type).toBeInstanceOf(WorkflowError);
      expect(error, block.manifest.type).toMatchObject({ code: "model_unavailable", status: 400 });
      expect((error as WorkflowError).message).toContain(block.manifest.type);
      expect((error as WorkflowError).message).toContain("cvflow has no");
      const variant = ["model_id", "model_version", "version"].map((f) => block.manifest.fields[f]?.default).find((v) => v !== undefined);
      if (variant !== undefined) expect((error as WorkflowError).details, block.manifest.type).toMatchObject({ model_id: variant });
    }
  });
});
