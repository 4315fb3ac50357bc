import { describe, expect, it } from "vitest";
import { dimensionCollapseBlock } from "../src/fusion/dimension_collapse.js";
import { runBlock } from "./detections-fixture.js";

describe("DimensionCollapse", () => {
  it("takes its data one dimension down and returns a list", () => {
    const { manifest } = dimensionCollapseBlock;
    expect(manifest.aliases).toEqual(["DimensionCollapse"]);
    expect(manifest.fields["data"]!.dimensionOffset).toBe(1);
    expect(manifest.fields["data"]!.kinds).toEqual(["*"]);
    expect(manifest.outputs).toEqual([{ name: "output", kinds: ["list_of_values"] }]);
  });

  it("gathers the children in order, skipped ones as null", async () => {
    expect(await runBlock(dimensionCollapseBlock, { data: ["116.Parson_russell_terrier", null, "131.Wirehaired_pointing_griffon"] })).toEqual({
      output: ["116.Parson_russell_terrier", null, "131.Wirehaired_pointing_griffon"],
    });
  });

  it("collapses no children into an empty list", async () => {
    expect(await runBlock(dimensionCollapseBlock, { data: [] })).toEqual({ output: [] });
  });
});
