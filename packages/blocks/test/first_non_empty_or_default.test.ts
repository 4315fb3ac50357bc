import { describe, expect, it } from "vitest";
import { firstNonEmptyOrDefaultBlock } from "../src/formatters/first_non_empty_or_default.js";
import { runBlock } from "./detections-fixture.js";

describe("FirstNonEmptyOrDefault", () => {
  it("runs for skipped inputs and is known by its alias", () => {
    expect(firstNonEmptyOrDefaultBlock.manifest.acceptsEmpty).toBe(true);
    expect(firstNonEmptyOrDefaultBlock.manifest.aliases).toEqual(["FirstNonEmptyOrDefault"]);
  });

  it("takes the first value that is not null, in order", async () => {
    expect(await runBlock(firstNonEmptyOrDefaultBlock, { data: [null, "b", "c"], default: "x" })).toEqual({ output: "b" });
    expect(await runBlock(firstNonEmptyOrDefaultBlock, { data: ["a", "b"], default: "x" })).toEqual({ output: "a" });
  });

  it("treats empty lists, zero and false as values", async () => {
    expect(await runBlock(firstNonEmptyOrDefaultBlock, { data: [null, [], "c"], default: "x" })).toEqual({ output: [] });
    expect(await runBlock(firstNonEmptyOrDefaultBlock, { data: [0, 1] })).toEqual({ output: 0 });
    expect(await runBlock(firstNonEmptyOrDefaultBlock, { data: [null, false] })).toEqual({ output: false });
  });

  it("falls back to the default, which itself defaults to null", async () => {
    expect(await runBlock(firstNonEmptyOrDefaultBlock, { data: [null, null], default: [] })).toEqual({ output: [] });
    expect(await runBlock(firstNonEmptyOrDefaultBlock, { data: [null] })).toEqual({ output: null });
  });

  it("needs at least one data selector", () => {
    expect(firstNonEmptyOrDefaultBlock.validate!({ data: [] })[0]!.property).toBe("data");
    expect(firstNonEmptyOrDefaultBlock.validate!({ data: ["$steps.a.output"] })).toEqual([]);
  });
});
