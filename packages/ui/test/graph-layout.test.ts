/** The graph's layout over every example and reference definition: boxes apart and inside the drawing, edges between the boxes they join. */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { basisPath, chooseLayout, estimateWidth, firstView, fitScale, layoutGraph, READABLE_SCALE, TEXT_STYLES, type Direction, type GraphLayout, type PlacedNode } from "../src/graph/graph-layout.js";
import { graphModel, type GraphModel } from "../src/graph/graph-model.js";
import { nodeLines } from "../src/graph/graph-text.js";

const repo = (path: string) => new URL(`../../../${path}`, import.meta.url);
const read = (path: string): unknown => JSON.parse(readFileSync(repo(path), "utf8"));
const definitions: [string, unknown][] = [
  ...readdirSync(repo("examples")).filter((f) => f.endsWith(".workflow.json")).map((f): [string, unknown] => [f, read(`examples/${f}`)]),
  ...readdirSync(repo("test/conformance/roboflow")).filter((f) => f.endsWith(".json")).map((f): [string, unknown] => [f, (read(`test/conformance/roboflow/${f}`) as { definition: unknown }).definition]),
];

const lay = (model: GraphModel, direction: Direction, live = true) =>
  layoutGraph(model, { direction, lines: (node) => nodeLines(node, node.kind === "step" ? "A Block With A Friendly Name" : undefined, live) });

const overlap = (a: PlacedNode, b: PlacedNode) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
/** How far a point is from a box's outline (0 on it). */
const offOutline = (p: { x: number; y: number }, n: PlacedNode) => {
  const dx = Math.max(n.x - p.x, 0, p.x - (n.x + n.width));
  const dy = Math.max(n.y - p.y, 0, p.y - (n.y + n.height));
  const inside = dx === 0 && dy === 0;
  return inside ? Math.min(p.x - n.x, n.x + n.width - p.x, p.y - n.y, n.y + n.height - p.y) : Math.hypot(dx, dy);
};

function checkLayout(layout: GraphLayout, model: GraphModel): void {
  expect(layout.nodes.map((n) => n.node.id)).toEqual(model.nodes.map((n) => n.id));
  expect(layout.edges.map((e) => e.edge.id)).toEqual(model.edges.map((e) => e.id));
  const byId = new Map(layout.nodes.map((n) => [n.node.id, n]));
  for (const [i, a] of layout.nodes.entries()) {
    expect(a.x).toBeGreaterThanOrEqual(0);
    expect(a.y).toBeGreaterThanOrEqual(0);
    expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
    expect(a.y + a.height).toBeLessThanOrEqual(layout.height);
    for (const line of a.lines) expect(a.inset + estimateWidth(line.text, line.style)).toBeLessThanOrEqual(a.width - a.inset);
    for (const b of layout.nodes.slice(i + 1)) expect(overlap(a, b), `${a.node.id} overlaps ${b.node.id}`).toBe(false);
  }
  for (const { edge, points, label, path } of layout.edges) {
    const from = byId.get(edge.from);
    const to = byId.get(edge.to);
    expect(from && to, `${edge.id} joins boxes that exist`).toBeTruthy();
    if (!from || !to || from === to) continue;
    // dagre ends each edge where it crosses its boxes' outlines.
    expect(offOutline(points[0]!, from)).toBeLessThan(1);
    expect(offOutline(points.at(-1)!, to)).toBeLessThan(1);
    expect(path.startsWith(`M${Math.round(points[0]!.x * 10) / 10},`)).toBe(true);
    // The label sits between the two boxes, clear of every box.
    const box = { node: edge as never, x: label.x - label.width / 2, y: label.y - label.height / 2, width: label.width, height: label.height, inset: 0, lines: [] };
    for (const n of layout.nodes) expect(overlap(box, n), `label of ${edge.id} over ${n.node.id}`).toBe(false);
  }
}

describe("layoutGraph", () => {
  it(`lays out all ${definitions.length} example and reference definitions, both ways, without overlaps`, () => {
    expect(definitions.length).toBeGreaterThanOrEqual(25);
    for (const [name, definition] of definitions) {
      const model = graphModel(definition);
      expect(model.nodes.length, name).toBeGreaterThan(2);
      for (const direction of ["TB", "LR"] as const) checkLayout(lay(model, direction), model);
    }
  });

  it("ranks detect -> crop -> classify along the direction: each edge goes forward", () => {
    const model = graphModel(read("examples/detect-crop-classify.workflow.json"));
    for (const direction of ["TB", "LR"] as const) {
      const layout = lay(model, direction);
      const centre = new Map(layout.nodes.map((n) => [n.node.id, direction === "TB" ? n.y + n.height / 2 : n.x + n.width / 2]));
      for (const edge of model.edges) expect(centre.get(edge.to)!, edge.id).toBeGreaterThan(centre.get(edge.from)!);
    }
  });

  it("sizes boxes from their text and cuts a line too long for a box with an ellipsis", () => {
    const model = graphModel({
      inputs: [{ type: "WorkflowImage", name: "i" }],
      steps: [{ type: `vendor/${"very_long_block_name_".repeat(4)}@v1`, name: "s", image: "$inputs.i" }],
      outputs: [],
    });
    const layout = lay(model, "TB", false);
    const [input, step] = layout.nodes;
    expect(input!.width).toBe(120);
    const type = step!.lines.find((l) => l.style === "type")!;
    expect(type.text.endsWith("…")).toBe(true);
    expect(type.full).toBe(model.nodes[1]!.type);
    expect(estimateWidth(type.text, "type")).toBeLessThanOrEqual(210);
    expect(step!.width).toBeGreaterThan(input!.width);
    // A run's graph keeps a line for each step's status: its box is taller, the input's is not.
    expect(lay(model, "TB", true).nodes[1]!.height).toBe(step!.height + TEXT_STYLES.status.lineHeight);
    expect(lay(model, "TB", true).nodes[0]!.height).toBe(input!.height);
  });

  it("survives a step that reads itself and a cycle (a definition being typed)", () => {
    const model = graphModel({
      inputs: [],
      steps: [{ type: "t", name: "a", x: "$steps.a.y", z: "$steps.b.w" }, { type: "t", name: "b", x: "$steps.a.y" }],
      outputs: [],
    });
    expect(model.edges.map((e) => e.id)).toEqual(["step:a->step:a", "step:b->step:a", "step:a->step:b"]);
    for (const direction of ["TB", "LR"] as const) checkLayout(lay(model, direction), model);
  });

  it("chooses the direction that first shows the most of the graph: a chain left to right on a wide screen, top to bottom on a phone", () => {
    const chain = graphModel(read("examples/ocr-label.workflow.json"));
    const chains = { TB: lay(chain, "TB"), LR: lay(chain, "LR") };
    expect(chooseLayout(chains, 1240, 600).direction).toBe("LR");
    expect(chooseLayout(chains, 358, 600).direction).toBe("TB");
    // detect -> crop -> classify fans out to four outputs: top to bottom shows it whole on a wide screen,
    // left to right would be too long to read whole.
    const fan = graphModel(read("examples/detect-crop-classify.workflow.json"));
    const fans = { TB: lay(fan, "TB"), LR: lay(fan, "LR") };
    expect(chooseLayout(fans, 1240, 640).direction).toBe("TB");
    expect(firstView(fans.TB, 1240, 640)).toEqual({ scale: fitScale(fans.TB, 1240, 640), whole: true });
    expect(firstView(fans.LR, 1240, 640)).toEqual({ scale: READABLE_SCALE, whole: false });
    // On a phone it cannot show whole at a readable size: it is shown readable, to be panned.
    expect(chooseLayout(fans, 358, 600).direction).toBe("TB");
    expect(firstView(fans.TB, 358, 600)).toEqual({ scale: READABLE_SCALE, whole: false });
    expect(fitScale({ width: 200, height: 100 }, 1000, 1000)).toBe(1);
    expect(fitScale({ width: 2000, height: 100 }, 1000, 1000)).toBe(0.5);
  });
});

describe("basisPath", () => {
  it("draws a line for two points and a B-spline from the first to the last of more", () => {
    expect(basisPath([])).toBe("");
    expect(basisPath([{ x: 0, y: 0 }, { x: 10, y: 20 }])).toBe("M0,0L10,20");
    expect(basisPath([{ x: 0, y: 0 }, { x: 6, y: 6 }, { x: 12, y: 0 }])).toBe("M0,0L1,1C2,2 4,4 6,4C8,4 10,2 11,1L12,0");
  });
});
