/**
 * Names in a definition, as Roboflow's schema takes them: inputs and steps are named in selectors
 * (`$inputs.<name>`, `$steps.<name>.<output>`), so they take the selectors' characters; an output
 * name is only a key of the result (JsonField.name is any string there).
 */
import { describe, expect, it } from "vitest";
import { WorkflowCompileError, workflowSchema, BlockRegistry, type WorkflowIssue } from "../src/index.js";
import { testBlocks, testEngine } from "./fixtures.js";

const engine = testEngine();
const definition = (outputName: string, stepName = "echo") => ({
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "x" }],
  steps: [{ type: "Echo", name: stepName, value: "$inputs.x" }],
  outputs: [{ type: "JsonField", name: outputName, selector: `$steps.${stepName}.output` }],
});

function issuesOf(value: unknown): WorkflowIssue[] {
  try {
    engine.compile(value);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowCompileError);
    return (error as WorkflowCompileError).issues;
  }
  throw new Error("expected the definition not to compile");
}

describe("definition names", () => {
  it("an output may be named with any characters, and the result carries that key", async () => {
    const { outputs } = await engine.run(definition("Detected plates (v2) / café"), { x: 7 });
    expect(outputs).toEqual([{ "Detected plates (v2) / café": 7 }]);
  });

  it.each([[""], ["__proto__"]])("refuses the output name %j", (name) => {
    expect(issuesOf(definition(name))).toEqual([
      { code: "invalid_name", message: `Output name ${JSON.stringify(name)} is invalid: use any non-empty string but "__proto__"`, pointer: "/outputs/0/name" },
    ]);
  });

  it("a step name still takes only what a selector can name", () => {
    const issues = issuesOf(definition("o", "my step"));
    expect(issues[0]).toEqual({ code: "invalid_name", message: `Step name "my step" is invalid: use letters, digits, "_" and "-"`, pointer: "/steps/0/name" });
  });

  it("the published grammar schema says the same of output names", () => {
    const schema = workflowSchema(new BlockRegistry(testBlocks)) as { properties: { outputs: { items: { properties: { name: unknown } } } } };
    expect(schema.properties.outputs.items.properties.name).toEqual({ type: "string", minLength: 1, pattern: "^(?!__proto__$)" });
    const pattern = new RegExp((schema.properties.outputs.items.properties.name as { pattern: string }).pattern);
    expect(["o", "Detected plates (v2)", "__proto__x"].every((n) => pattern.test(n))).toBe(true);
    expect(pattern.test("__proto__")).toBe(false);
  });
});
