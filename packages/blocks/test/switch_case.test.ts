import { describe, expect, it } from "vitest";
import { switchCaseBlock } from "../src/flow_control/switch_case.js";
import { runBlock } from "./detections-fixture.js";

const cases = { a: "$steps.on_a", b: "$steps.on_b" };

describe("SwitchCase", () => {
  it("is a flow-control block known by its Roboflow id and alias", () => {
    expect(switchCaseBlock.manifest.type).toBe("roboflow_core/switch_case@v1");
    expect(switchCaseBlock.manifest.aliases).toEqual(["SwitchCase"]);
    expect(switchCaseBlock.manifest.flowControl).toBe(true);
    expect(switchCaseBlock.manifest.outputs).toEqual([]);
  });

  it("selects the step of the matching case, else the default steps", async () => {
    const base = { cases, default_next_steps: ["$steps.on_default"] };
    expect(await runBlock(switchCaseBlock, { ...base, value: "a" })).toEqual({ next: ["$steps.on_a"] });
    expect(await runBlock(switchCaseBlock, { ...base, value: "b" })).toEqual({ next: ["$steps.on_b"] });
    expect(await runBlock(switchCaseBlock, { ...base, value: "c" })).toEqual({ next: ["$steps.on_default"] });
  });

  it("ends the branch when nothing matches and there is no default", async () => {
    expect(await runBlock(switchCaseBlock, { cases, value: "unmatched" })).toEqual({ next: [] });
  });

  it("compares the value's string form, written as Python writes it", async () => {
    const typed = { True: "$steps.t", None: "$steps.n", "5": "$steps.five", "2.5": "$steps.half" };
    expect(await runBlock(switchCaseBlock, { cases: typed, value: true })).toEqual({ next: ["$steps.t"] });
    expect(await runBlock(switchCaseBlock, { cases: typed, value: null })).toEqual({ next: ["$steps.n"] });
    expect(await runBlock(switchCaseBlock, { cases: typed, value: 5 })).toEqual({ next: ["$steps.five"] });
    expect(await runBlock(switchCaseBlock, { cases: typed, value: 2.5 })).toEqual({ next: ["$steps.half"] });
    expect(await runBlock(switchCaseBlock, { cases: typed, value: "true" })).toEqual({ next: [] });
  });

  it("ignores letter case only when asked to", async () => {
    expect(await runBlock(switchCaseBlock, { cases, value: "A" })).toEqual({ next: [] });
    expect(await runBlock(switchCaseBlock, { cases, value: "A", case_insensitive: true })).toEqual({ next: ["$steps.on_a"] });
  });

  it("reports a step targeted by two cases, or by a case and the default", () => {
    const twoCases = switchCaseBlock.validate!({ value: "$inputs.v", cases: { a: "$steps.on_a", alias_of_a: "$steps.on_a" } });
    expect(twoCases).toHaveLength(1);
    expect(twoCases[0]!.property).toBe("cases");
    expect(twoCases[0]!.message).toContain("targeted at most once");
    expect(twoCases[0]!.message).toContain('"$steps.on_a"');
    const caseAndDefault = switchCaseBlock.validate!({ cases: { a: "$steps.on_a" }, default_next_steps: ["$steps.on_a"] });
    expect(caseAndDefault.map((p) => p.message).join()).toContain("targeted at most once");
  });

  it("accepts distinct targets and reports keys that collide without letter case", () => {
    expect(switchCaseBlock.validate!({ cases, default_next_steps: ["$steps.on_default"] })).toEqual([]);
    const colliding = switchCaseBlock.validate!({ cases: { a: "$steps.x", A: "$steps.y" }, case_insensitive: true });
    expect(colliding.map((p) => p.message)).toEqual(["`cases` has keys that collide when case_insensitive is enabled"]);
    expect(switchCaseBlock.validate!({ cases: { a: "$steps.x", A: "$steps.y" } })).toEqual([]);
  });
});
