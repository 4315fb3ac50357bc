import { describe, expect, it } from "vitest";
import { validateJson } from "../src/index.js";
import { testEngine } from "./fixtures.js";

describe("the grammar's JSON Schema", () => {
  const schema = testEngine().schema() as Record<string, any>;

  it("has one step alternative per block, tagged by its id and aliases", () => {
    const steps = schema["properties"]["steps"]["items"]["oneOf"] as any[];
    expect(steps.map((s) => s.properties.type.enum)).toContainEqual(["test/echo@v1", "Echo"]);
    const split = steps.find((s) => s.properties.type.enum[0] === "test/split@v1");
    expect(split.required).toEqual(["type", "name", "value"]);
    expect(split.properties.count.default).toBe(2);
    expect(split.properties.count["x-kinds"]).toEqual(["integer"]);
  });

  it("validates a real definition with our own validator", () => {
    const def = { version: "1.0", inputs: [{ type: "WorkflowImage", name: "image" }], steps: [{ type: "Echo", name: "e", value: "$inputs.image" }], outputs: [{ type: "JsonField", name: "o", selector: "$steps.e.*" }] };
    expect(validateJson(def, schema)).toEqual([]);
    expect(validateJson({ ...def, version: 2 }, schema)).toEqual([{ pointer: "/version", message: "expected string, got 2" }]);
    expect(validateJson({ ...def, steps: [{ type: "Nope", name: "x" }] }, schema)[0]!.pointer).toBe("/steps/0/type");
  });
});
