/**
 * Property: whatever a client sends as a definition (here: 5,000 mutations of real ones) and
 * whatever inputs come with it, nothing escapes the engine but a structured WorkflowError —
 * no TypeError, no hang, no crash.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coreBlocks } from "@cvflow/blocks";
import { BlockRegistry, WorkflowCompileError, WorkflowEngine, WorkflowError } from "@cvflow/engine";
import { loadCase, PURE_COMPUTE_CASES } from "./conformance.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const detections = {
  image: { width: 640, height: 480 },
  predictions: [
    { x: 50, y: 50, width: 100, height: 100, confidence: 0.9, class: "person", class_id: 0, detection_id: "a" },
    { x: 250, y: 50, width: 100, height: 100, confidence: 0.4, class: "car", class_id: 1, detection_id: "b" },
  ],
};

/** Inputs that fit the seeds, so that mutated definitions also get run, not only compiled. */
const seedInputs: Record<string, Json> = {
  routing_value: "a",
  prompt_template: "{sku_list} or {fallback_answer}",
  expected_skus: ["SKU-1", "SKU-2"],
  a: "some",
  b: "other",
  c: 4,
  reference_predictions: [detections],
  candidate_predictions: [detections],
  predictions: [detections],
  class_thresholds: { person: 0.5 },
  default_threshold: 0.3,
  some: 1,
  raw_json: '```json\n{"a": 1, "b": [2]}\n```',
  classifications: [[{ image: { width: 100, height: 100 }, predictions: [{ class: "cat", class_id: 0, confidence: 0.8 }], top: "cat", confidence: 0.8, parent_id: "a", prediction_type: "classification" }]],
};

/** A seed for the blocks the reference cases do not use. */
const fusionSeed: Json = {
  version: "1.0",
  inputs: [
    { type: "WorkflowBatchInput", name: "predictions", kind: ["object_detection_prediction"] },
    { type: "WorkflowBatchInput", name: "classifications", kind: ["classification_prediction"], dimensionality: 2 },
    { type: "WorkflowParameter", name: "raw_json" },
  ],
  steps: [
    { type: "DetectionsTransformation", name: "sorted", predictions: "$inputs.predictions", operations: [{ type: "SortDetections", mode: "confidence", ascending: false }] },
    { type: "DetectionsConsensus", name: "consensus", predictions_batches: ["$inputs.predictions", "$steps.sorted.predictions"], required_votes: 2 },
    { type: "DetectionOffset", name: "offset", predictions: "$steps.consensus.predictions", offset_width: 10, offset_height: 10 },
    { type: "roboflow_core/json_parser@v1", name: "parser", raw_json: "$inputs.raw_json", expected_fields: ["a", "b"] },
    { type: "FirstNonEmptyOrDefault", name: "first", data: ["$steps.parser.a", "$inputs.raw_json"], default: "none" },
    { type: "DetectionsClassesReplacement", name: "replaced", object_detection_predictions: "$inputs.predictions", classification_predictions: "$inputs.classifications" },
    { type: "DimensionCollapse", name: "collapsed", data: "$steps.replaced_top.output" },
    { type: "PropertyDefinition", name: "replaced_top", data: "$inputs.classifications", operations: [{ type: "ClassificationPropertyExtract", property_name: "top_class" }] },
    { type: "roboflow_core/per_class_confidence_filter@v1", name: "per_class", predictions: "$steps.offset.predictions", class_thresholds: { person: 0.5 } },
  ],
  outputs: [
    { type: "JsonField", name: "consensus", selector: "$steps.consensus.*" },
    { type: "JsonField", name: "first", selector: "$steps.first.output" },
    { type: "JsonField", name: "replaced", selector: "$steps.replaced.predictions" },
    { type: "JsonField", name: "collapsed", selector: "$steps.collapsed.output" },
    { type: "JsonField", name: "per_class", selector: "$steps.per_class.predictions" },
  ],
};

/** Every place in a JSON tree, as a path of keys/indices. */
function paths(value: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...at, i], out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) paths(v, [...at, k], out);
  return out;
}

function parentOf(root: Json, path: (string | number)[]): Json | undefined {
  let node: Json | undefined = root;
  for (const key of path.slice(0, -1)) node = node == null || typeof node !== "object" ? undefined : (node as Record<string, Json>)[key as string];
  return node;
}

type Mutation = { at: number; action: number; value: Json; text: string };

function mutate(seed: Json, mutations: readonly Mutation[], vocabulary: readonly string[]): Json {
  const root = structuredClone(seed);
  for (const m of mutations) {
    const all = paths(root).filter((p) => p.length > 0);
    if (all.length === 0) break;
    const path = all[m.at % all.length]!;
    const parent = parentOf(root, path) as Record<string | number, Json> | Json[] | undefined;
    if (!parent || typeof parent !== "object") continue;
    const key = path[path.length - 1]!;
    const word = vocabulary[m.text.length % vocabulary.length]!;
    switch (m.action % 6) {
      case 0: // delete
        if (Array.isArray(parent)) parent.splice(key as number, 1);
        else delete (parent as Record<string, Json>)[key];
        break;
      case 1: // any JSON value
        (parent as Record<string | number, Json>)[key] = m.value;
        break;
      case 2: // a plausible selector, block id or name
        (parent as Record<string | number, Json>)[key] = word;
        break;
      case 3: // a garbage selector
        (parent as Record<string | number, Json>)[key] = `$steps.${m.text}`;
        break;
      case 4: // duplicate
        if (Array.isArray(parent)) parent.push(structuredClone(parent[key as number]!));
        else (parent as Record<string, Json>)[`${String(key)}_${m.text}`] = structuredClone((parent as Record<string, Json>)[key]!);
        break;
      case 5: // wrap in a list
        (parent as Record<string | number, Json>)[key] = [(parent as Record<string | number, Json>)[key]!];
        break;
    }
  }
  return root;
}

describe("fuzzed definitions", () => {
  const registry = new BlockRegistry(coreBlocks);
  const engine = new WorkflowEngine({ registry, cacheSize: 64 });
  const seeds = [...PURE_COMPUTE_CASES.map((name) => loadCase(name).definition as Json), fusionSeed];
  const vocabulary = [
    ...registry.ids(),
    ...Object.keys(seedInputs).map((k) => `$inputs.${k}`),
    "$steps.switch", "$steps.on_a.output", "$steps.filter.predictions", "$steps.difference.*", "$steps.gate",
    "$steps.prompt_builder.output", "$steps.csv_formatter.csv_content", "WorkflowBatchInput", "WorkflowParameter",
    "JsonField", "1.0", "2.0", "StatementGroup", "(Number) ==", "DynamicOperand", "SequenceJoin",
  ];
  const mutation = fc.record({ at: fc.nat(), action: fc.nat(), value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, text: fc.string({ maxLength: 8 }) });

  it("starts from seeds that run cleanly as they are", async () => {
    for (const seed of seeds) await engine.run(seed, seedInputs);
    const { outputs } = await engine.run(fusionSeed, seedInputs);
    expect(outputs[0]).toMatchObject({ first: 1, collapsed: ["cat"], consensus: { object_present: true } });
  });

  it("lets nothing but a structured error escape, over 5,000 mutated definitions", async () => {
    let compiled = 0;
    let ran = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), async (seedIndex, mutations, wrap) => {
        const mutated = mutate(seeds[seedIndex]!, mutations, vocabulary);
        const definition = wrap ? { specification: mutated } : mutated;
        let plan;
        try {
          plan = engine.compile(definition);
        } catch (error) {
          expect(error).toBeInstanceOf(WorkflowCompileError);
          for (const issue of (error as WorkflowCompileError).issues) {
            expect(typeof issue.code).toBe("string");
            expect(issue.message.length).toBeGreaterThan(0);
            expect(issue.pointer ?? "").toMatch(/^(\/.*)?$/);
          }
          JSON.stringify(error);
          return;
        }
        compiled++;
        try {
          await engine.run(plan, seedInputs, { deadlineMs: 2_000 });
          ran++;
        } catch (error) {
          expect(error).toBeInstanceOf(WorkflowError);
          expect((error as WorkflowError).status, (error as Error).message).toBeGreaterThanOrEqual(400);
          expect((error as WorkflowError).status, (error as Error).message).toBeLessThan(500);
          JSON.stringify(error);
        }
      }),
      { numRuns: 5_000, seed: Number(process.env["FUZZ_SEED"] ?? 20261121) },
    );
    // The property must have exercised both paths, not only rejected everything.
    expect(compiled).toBeGreaterThan(250);
    expect(ran).toBeGreaterThan(100);
  }, 120_000);
});
