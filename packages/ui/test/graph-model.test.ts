/** The graph of a definition: nodes and edges of real definitions counted by hand, and half-typed ones read as far as they go. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { graphModel, type GraphModel } from "../src/graph/graph-model.js";

const repo = (path: string) => new URL(`../../../${path}`, import.meta.url);
const example = (name: string): unknown => JSON.parse(readFileSync(repo(`examples/${name}.workflow.json`), "utf8"));
const reference = (name: string): unknown =>
  (JSON.parse(readFileSync(repo(`test/conformance/roboflow/${name}.json`), "utf8")) as { definition: unknown }).definition;

/** Edges as `from -> to [labels]`, flow control marked `~>`: one string each, easy to compare. */
const edgeList = (model: GraphModel) => model.edges.map((e) => `${e.from} ${e.flow ? "~>" : "->"} ${e.to} [${e.labels.join(", ")}]`);

describe("graphModel", () => {
  it("reads detect -> crop -> classify: 2 inputs, 8 steps, 4 outputs, 17 edges each labelled with its selector's property", () => {
    const model = graphModel(example("detect-crop-classify"));
    expect(model.nodes.map((n) => n.id)).toEqual([
      "input:image", "input:confidence",
      "step:detection", "step:crops", "step:classification", "step:crop_class", "step:crop_classes", "step:relabelled", "step:boxes", "step:labels",
      "output:detected", "output:crop_classes", "output:relabelled", "output:annotated",
    ]);
    expect(model.nodes.find((n) => n.id === "input:confidence")?.type).toBe("WorkflowParameter");
    expect(model.nodes.find((n) => n.id === "step:crops")?.type).toBe("roboflow_core/dynamic_crop@v1");
    expect(edgeList(model)).toEqual([
      "input:image -> step:detection [$inputs.image]",
      "input:confidence -> step:detection [$inputs.confidence]",
      "input:image -> step:crops [$inputs.image]",
      "step:detection -> step:crops [predictions]",
      "step:crops -> step:classification [crops]",
      "step:classification -> step:crop_class [predictions]",
      "step:crop_class -> step:crop_classes [output]",
      "step:detection -> step:relabelled [predictions]",
      "step:classification -> step:relabelled [predictions]",
      "input:image -> step:boxes [$inputs.image]",
      "step:relabelled -> step:boxes [predictions]",
      "step:boxes -> step:labels [image]",
      "step:relabelled -> step:labels [predictions]",
      "step:detection -> output:detected [predictions]",
      "step:crop_classes -> output:crop_classes [output]",
      "step:relabelled -> output:relabelled [predictions]",
      "step:labels -> output:annotated [image]",
    ]);
    expect(model.unresolved).toEqual([]);
  });

  it("reads a definition wrapped as {specification} as it reads it bare", () => {
    const bare = example("detect-review-classify");
    expect(graphModel({ specification: bare })).toEqual(graphModel(bare));
    expect(graphModel(bare).nodes).toHaveLength(2 + 7 + 5);
  });

  it("draws a switch's cases and default as flow-control edges labelled with the case", () => {
    const model = graphModel(reference("switch_case_routing"));
    expect(model.nodes).toHaveLength(1 + 4 + 3);
    expect(edgeList(model)).toEqual([
      "input:routing_value -> step:switch [$inputs.routing_value]",
      "step:switch ~> step:on_a [a]",
      "step:switch ~> step:on_b [b]",
      "step:switch ~> step:on_default [default_next_steps]",
      "input:routing_value -> step:on_a [$inputs.routing_value]",
      "input:routing_value -> step:on_b [$inputs.routing_value]",
      "input:routing_value -> step:on_default [$inputs.routing_value]",
      "step:on_a -> output:on_a [output]",
      "step:on_b -> output:on_b [output]",
      "step:on_default -> output:on_default [output]",
    ]);
    expect(model.edges.find((e) => e.to === "step:on_a" && e.flow)?.fields).toEqual(["cases.a"]);
  });

  it("follows continue_if's next_steps and its evaluation parameters", () => {
    const model = graphModel(reference("continue_if_non_simd_multiple_next_steps"));
    expect(model.nodes).toHaveLength(1 + 3 + 2);
    expect(edgeList(model)).toEqual([
      "input:some -> step:gate [$inputs.some]",
      "step:gate ~> step:first_expression [next_steps]",
      "step:gate ~> step:second_expression [next_steps]",
      "input:some -> step:first_expression [$inputs.some]",
      "input:some -> step:second_expression [$inputs.some]",
      "step:first_expression -> output:first_expression [output]",
      "step:second_expression -> output:second_expression [output]",
    ]);
    expect(model.edges[0]?.fields).toEqual(["evaluation_parameters.left"]);
    expect(model.edges[1]?.fields).toEqual(["next_steps[0]"]);
  });

  it("finds selectors nested in query-language parameters, and an output of all properties ($steps.x.*)", () => {
    const model = graphModel(reference("od_detections_filter"));
    expect(model.nodes).toHaveLength(4 + 2 + 1);
    expect(edgeList(model)).toEqual([
      "input:image -> step:detection [$inputs.image]",
      "input:model_id -> step:detection [$inputs.model_id]",
      "input:confidence -> step:detection [$inputs.confidence]",
      "step:detection -> step:filtering [predictions]",
      "input:image -> step:filtering [$inputs.image]",
      "input:classes -> step:filtering [$inputs.classes]",
      "step:filtering -> output:result [*]",
    ]);
    expect(model.edges.find((e) => e.from === "input:classes")?.fields).toEqual(["operations_parameters.classes"]);
  });

  it("gives one edge per pair of nodes, labelled with every property it carries", () => {
    const model = graphModel({
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        { type: "a", name: "x", image: "$inputs.image" },
        { type: "b", name: "y", image: "$steps.x.image", predictions: "$steps.x.predictions", again: ["$steps.x.image"] },
      ],
      outputs: [{ type: "JsonField", name: "picture", selector: "$inputs.image" }],
    });
    expect(edgeList(model)).toEqual([
      "input:image -> step:x [$inputs.image]",
      "step:x -> step:y [image, predictions]",
      "input:image -> output:picture [$inputs.image]",
    ]);
    expect(model.edges[1]?.fields).toEqual(["image", "predictions", "again[0]"]);
  });

  it("reads a half-typed definition as far as it goes, listing the selectors it could not draw", () => {
    const model = graphModel({
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }, { type: "WorkflowParameter" }, "oops", { name: "untyped" }],
      steps: [
        { type: "roboflow_core/roboflow_object_detection_model@v2", name: "detection", images: "$inputs.image" },
        { type: "roboflow_core/dynamic_crop@v1", name: "crops", images: "$inputs.imag", predictions: "$steps.det" },
        { name: "no_type_yet", data: "$steps.detection." },
        { type: "roboflow_core/dynamic_crop@v1" },
        { type: "duplicate", name: "detection", images: "$inputs.image" },
        null,
      ],
      outputs: [{ type: "JsonField", name: "out", selector: "$steps.nowhere.x" }, { name: "half", selector: "$ste" }],
    });
    expect(model.nodes.map((n) => `${n.id} (${n.type})`)).toEqual([
      "input:image (WorkflowImage)", "input:untyped ()",
      "step:detection (roboflow_core/roboflow_object_detection_model@v2)", "step:crops (roboflow_core/dynamic_crop@v1)", "step:no_type_yet ()",
      "output:out (JsonField)", "output:half ()",
    ]);
    expect(edgeList(model)).toEqual([
      "input:image -> step:detection [$inputs.image]",
      "step:detection -> step:no_type_yet [$steps.detection.]",
    ]);
    expect(model.unresolved).toEqual([
      { node: "step:crops", field: "images", selector: "$inputs.imag" },
      { node: "step:crops", field: "predictions", selector: "$steps.det" },
      { node: "output:out", field: "out", selector: "$steps.nowhere.x" },
    ]);
  });

  it("gives an empty graph for what is not a definition, and never throws", () => {
    for (const value of [null, undefined, "text", 42, [], [1, 2], {}, { specification: "x" }, { steps: "x", inputs: {}, outputs: 3 }]) {
      expect(graphModel(value)).toEqual({ nodes: [], edges: [], unresolved: [] });
    }
  });
});
