import { describe, expect, it } from "vitest";
import { INNER_WORKFLOW_LIMITS, INNER_WORKFLOW_TYPE, resolveInnerWorkflows, WorkflowCompileError, type InnerWorkflowReference, type WorkflowIssue } from "../src/index.js";
import { testEngine } from "./fixtures.js";

const engine = testEngine();

const out = (name: string, selector: string) => ({ type: "JsonField", name, selector });
const wf = (steps: unknown[], outputs: unknown[], inputs: unknown[] = [{ type: "WorkflowBatchInput", name: "items" }]) => ({ version: "1.0", inputs, steps, outputs });
const inner = (name: string, workflow_definition: unknown, parameter_bindings: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: INNER_WORKFLOW_TYPE,
  name,
  workflow_definition,
  parameter_bindings,
  ...extra,
});

/** Child: echoes its batch input `x` and its parameter `p` (default 3). */
const echoChild = wf(
  [{ type: "Echo", name: "a", value: "$inputs.x" }, { type: "Echo", name: "b", value: "$inputs.p" }],
  [out("x_back", "$steps.a.output"), out("p_back", "$steps.b.output")],
  [{ type: "WorkflowBatchInput", name: "x" }, { type: "WorkflowParameter", name: "p", default_value: 3 }],
);

function issuesOf(definition: unknown): WorkflowIssue[] {
  try {
    engine.compile(definition);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowCompileError);
    return (error as WorkflowCompileError).issues;
  }
  throw new Error("expected the definition not to compile");
}

describe("inner_workflow: inlined at compile time", () => {
  it("runs the child's steps as the parent's, named <step>__<child step>, with its outputs selected through the step", async () => {
    const nested = wf([inner("child", echoChild, { x: "$inputs.items", p: 7 })], [out("x", "$steps.child.x_back"), out("p", "$steps.child.p_back")]);
    const flat = wf(
      [{ type: "Echo", name: "a", value: "$inputs.items" }, { type: "Echo", name: "b", value: 7 }],
      [out("x", "$steps.a.output"), out("p", "$steps.b.output")],
    );
    const plan = engine.compile(nested);
    expect(plan.steps.map((s) => s.name).sort()).toEqual(["child__a", "child__b"]);
    // Pointers of inlined steps lead into the child definition inside the parent.
    expect(plan.stepsByName.get("child__a")!.pointer).toBe("/steps/0/workflow_definition/steps/0");
    const nestedOut = (await engine.run(nested, { items: ["u", "v"] })).outputs;
    expect(nestedOut).toEqual([{ x: "u", p: 7 }, { x: "v", p: 7 }]);
    expect(nestedOut).toEqual((await engine.run(flat, { items: ["u", "v"] })).outputs);
  });

  it("takes an unbound parameter's default_value, and any JSON value as a binding", async () => {
    const nested = wf([inner("child", echoChild, { x: "$inputs.items" })], [out("p", "$steps.child.p_back")]);
    expect((await engine.run(nested, { items: [1] })).outputs).toEqual([{ p: 3 }]);
    const literal = wf([inner("child", echoChild, { x: "$inputs.items", p: { k: [1, 2] } })], [out("p", "$steps.child.p_back")]);
    expect((await engine.run(literal, { items: [1] })).outputs).toEqual([{ p: { k: [1, 2] } }]);
  });

  it("keeps a parent selector in a binding apart from a child step of the same name, and renames around taken names", async () => {
    const nested = wf(
      [
        { type: "Echo", name: "a", value: "parent-a" },
        { type: "Echo", name: "child__a", value: "taken" },
        inner("child", echoChild, { x: "$inputs.items", p: "$steps.a.output" }),
      ],
      [out("p", "$steps.child.p_back"), out("x", "$steps.child.x_back"), out("taken", "$steps.child__a.output")],
    );
    const plan = engine.compile(nested);
    expect(plan.steps.map((s) => s.name).sort()).toEqual(["a", "child__a", "child__a__2", "child__b"]);
    expect((await engine.run(nested, { items: ["i"] })).outputs).toEqual([{ p: "parent-a", x: "i", taken: "taken" }]);
  });

  it("lets the child run on the parent's nested batch, and the parent collapse the child's output (dimensionality flows through)", async () => {
    const nested = wf(
      [
        { type: "test/split@v1", name: "split", value: "$inputs.items", count: 2 },
        inner("child", echoChild, { x: "$steps.split.item" }),
        { type: "test/collapse@v1", name: "gathered", data: "$steps.child.x_back" },
      ],
      [out("children", "$steps.child.x_back"), out("gathered", "$steps.gathered.output")],
    );
    expect((await engine.run(nested, { items: ["a", "b"] })).outputs).toEqual([
      { children: ["a:0", "a:1"], gathered: ["a:0", "a:1"] },
      { children: ["b:0", "b:1"], gathered: ["b:0", "b:1"] },
    ]);
  });

  it("inlines inner workflows within inner workflows, bindings passed down each level", async () => {
    const level2 = wf([inner("deeper", echoChild, { x: "$inputs.y", p: "$inputs.q" })], [out("y_back", "$steps.deeper.x_back"), out("q_back", "$steps.deeper.p_back")], [
      { type: "WorkflowBatchInput", name: "y" },
      { type: "WorkflowParameter", name: "q" },
    ]);
    const nested = wf([inner("top", level2, { y: "$inputs.items", q: "deep-q" })], [out("y", "$steps.top.y_back"), out("q", "$steps.top.q_back")]);
    expect(engine.compile(nested).steps.map((s) => s.name).sort()).toEqual(["top__deeper__a", "top__deeper__b"]);
    expect((await engine.run(nested, { items: [5, 6] })).outputs).toEqual([{ y: 5, q: "deep-q" }, { y: 6, q: "deep-q" }]);
  });

  it("gates every entry step of the child when a flow-control step names the inner workflow step", async () => {
    // Two entry steps (a, b) and one that depends on a: a gate in front must stop all three.
    const child = wf(
      [
        { type: "Echo", name: "a", value: "$inputs.x" },
        { type: "Echo", name: "b", value: "$inputs.x" },
        { type: "Echo", name: "c", value: "$steps.a.output" },
      ],
      [out("a", "$steps.a.output"), out("b", "$steps.b.output"), out("c", "$steps.c.output")],
      [{ type: "WorkflowBatchInput", name: "x" }],
    );
    const nested = wf(
      [{ type: "test/gate@v1", name: "gate", value: "$inputs.items", equals: "go", next: ["$steps.child"] }, inner("child", child, { x: "$inputs.items" })],
      [out("a", "$steps.child.a"), out("b", "$steps.child.b"), out("c", "$steps.child.c")],
    );
    const plan = engine.compile(nested);
    expect(plan.stepsByName.get("gate")!.targets.sort()).toEqual(["child__a", "child__b"]);
    expect((await engine.run(nested, { items: ["go", "stop"] })).outputs).toEqual([
      { a: "go", b: "go", c: "go" },
      { a: null, b: null, c: null },
    ]);
  });

  it("leaves a step the child's own flow control targets out of the entry steps", () => {
    const child = wf(
      [{ type: "test/gate@v1", name: "g", value: "$inputs.x", equals: 1, next: ["$steps.e"] }, { type: "Echo", name: "e", value: "$inputs.x" }],
      [out("e", "$steps.e.output")],
      [{ type: "WorkflowBatchInput", name: "x" }],
    );
    const nested = wf(
      [{ type: "test/gate@v1", name: "gate", value: "$inputs.items", equals: "go", next: ["$steps.child"] }, inner("child", child, { x: "$inputs.items" })],
      [out("e", "$steps.child.e")],
    );
    const plan = engine.compile(nested);
    expect(plan.stepsByName.get("gate")!.targets).toEqual(["child__g"]);
    expect(plan.stepsByName.get("child__e")!.controlledBy).toEqual(["child__g"]);
  });
});

describe("inner_workflow: compile errors point into the definition", () => {
  it("bindings: a name the child does not declare, and a required input left unbound", () => {
    const issues = issuesOf(wf([inner("child", echoChild, { zz: 1 })], [out("x", "$steps.child.x_back")]));
    expect(issues.map((i) => [i.code, i.pointer])).toEqual([
      ["undefined_input", "/steps/0/parameter_bindings/zz"],
      ["missing_binding", "/steps/0/parameter_bindings"],
    ]);
    expect(issues[0]!.message).toBe('Step "child": parameter_bindings names "zz", which its workflow does not declare as an input (it has: x, p)');
    expect(issues[1]!.message).toBe('Step "child": parameter_bindings must bind "x": only a WorkflowParameter with a default_value may be left out');
  });

  it("the child's own problems: an undeclared input, an undefined step, an unknown block, at their pointers inside the child", () => {
    const child = wf(
      [
        { type: "Echo", name: "a", value: "$inputs.nope" },
        { type: "Echo", name: "b", value: "$steps.ghost.output" },
        { type: "NoSuchBlock", name: "c" },
      ],
      [out("a", "$steps.a.output")],
      [{ type: "WorkflowBatchInput", name: "x" }],
    );
    const issues = issuesOf(wf([inner("child", child, { x: "$inputs.items" })], [out("a", "$steps.child.a")]));
    expect(issues.map((i) => [i.code, i.pointer])).toEqual([
      ["undefined_input", "/steps/0/workflow_definition/steps/0/value"],
      ["undefined_step", "/steps/0/workflow_definition/steps/1/value"],
      ["unknown_block_type", "/steps/0/workflow_definition/steps/2/type"],
    ]);
  });

  it("the parent naming an output the child does not declare", () => {
    const issues = issuesOf(wf([inner("child", echoChild, { x: "$inputs.items" })], [out("x", "$steps.child.nope")]));
    expect(issues).toEqual([{
      code: "undefined_output",
      message: '"$steps.child.nope" refers to output "nope" of inner workflow step "child", which its workflow does not declare (it has: x_back, p_back)',
      pointer: "/outputs/0/selector",
      step: "child",
    }]);
  });

  it("the step itself: both a definition and a reference, neither, a reference not loaded before compiling", () => {
    const both = issuesOf(wf([inner("child", echoChild, { x: "$inputs.items" }, { workflow_workspace_id: "ws", workflow_id: "w" })], [out("x", "$steps.child.x_back")]));
    expect(both.map((i) => [i.code, i.pointer])).toEqual([["invalid_field", "/steps/0"]]);
    const neither = issuesOf(wf([inner("child", {}, { x: "$inputs.items" })], [out("x", "$steps.child.x_back")]));
    expect(neither.map((i) => [i.code, i.pointer])).toEqual([["missing_field", "/steps/0/workflow_definition"]]);
    // What its bindings select in the parent is checked all the same: every problem at once.
    const badBindings = issuesOf(wf([inner("child", {}, { x: "$steps.nowhere.output", y: "$inputs.absent", z: "$inputs.items" })], [out("x", "$steps.child.x_back")]));
    expect(badBindings.map((i) => [i.code, i.pointer])).toEqual([
      ["missing_field", "/steps/0/workflow_definition"],
      ["undefined_step", "/steps/0/parameter_bindings/x"],
      ["undefined_input", "/steps/0/parameter_bindings/y"],
    ]);
    // The parent's reference to the step that could not be inlined is not reported a second time.
    const unresolved = issuesOf(wf([inner("child", undefined, { x: "$inputs.items" }, { workflow_workspace_id: " ws ", workflow_id: "w", workflow_version_id: "v1" })], [out("x", "$steps.child.x_back")]));
    expect(unresolved).toEqual([{
      code: "inner_workflow_unresolved",
      message: 'Step "child": the saved workflow "ws/w" (version v1) it refers to was not loaded before compiling: only the service, which reads saved workflows, can compile this step',
      pointer: "/steps/0/workflow_id",
      step: "child",
      property: "workflow_id",
    }]);
  });

  it(`refuses nesting deeper than ${INNER_WORKFLOW_LIMITS.depth}, naming the chain, and accepts ${INNER_WORKFLOW_LIMITS.depth}`, async () => {
    const nestTo = (depth: number): unknown => {
      let definition: unknown = echoChild;
      for (let level = depth; level >= 1; level--) {
        definition = wf([inner(`l${level}`, definition, { x: "$inputs.x" })], [out("x_back", `$steps.l${level}.x_back`)], [{ type: "WorkflowBatchInput", name: "x" }]);
      }
      return definition;
    };
    const asParent = (d: unknown) => ({ ...(d as object), inputs: [{ type: "WorkflowBatchInput", name: "x" }] });
    const ok = asParent(nestTo(INNER_WORKFLOW_LIMITS.depth));
    expect((await engine.run(ok, { x: ["deep"] })).outputs).toEqual([{ x_back: "deep" }]);
    const issues = issuesOf(asParent(nestTo(INNER_WORKFLOW_LIMITS.depth + 1)));
    expect(issues.map((i) => [i.code, i.message])).toEqual([
      ["inner_workflow_limit", 'Step "l5": inner workflows nest 5 deep here (l1 > l2 > l3 > l4 > l5); at most 4 are allowed'],
    ]);
    expect(issues[0]!.pointer).toBe("/steps/0/workflow_definition/steps/0/workflow_definition/steps/0/workflow_definition/steps/0/workflow_definition/steps/0");
  });

  it(`refuses more than ${INNER_WORKFLOW_LIMITS.count} inner workflow steps in all, once`, () => {
    const many = (n: number) => wf(
      Array.from({ length: n }, (_, i) => inner(`c${i}`, echoChild, { x: "$inputs.items" })),
      Array.from({ length: n }, (_, i) => out(`o${i}`, `$steps.c${i}.x_back`)),
    );
    expect(() => engine.compile(many(INNER_WORKFLOW_LIMITS.count))).not.toThrow();
    const issues = issuesOf(many(INNER_WORKFLOW_LIMITS.count + 3));
    expect(issues.map((i) => [i.code, i.pointer])).toEqual([["inner_workflow_limit", `/steps/${INNER_WORKFLOW_LIMITS.count}`]]);
  });
});

describe("inner_workflow: saved workflows named by workspace and id, loaded before compiling", () => {
  const byRef = (name: string, ref: Record<string, string>, bindings: Record<string, unknown>) => ({ type: INNER_WORKFLOW_TYPE, name, ...ref, parameter_bindings: bindings });
  const store = (entries: Record<string, unknown>) => {
    const calls: InnerWorkflowReference[] = [];
    const load = async (ref: InnerWorkflowReference) => {
      calls.push(ref);
      return entries[`${ref.workspace}/${ref.id}${ref.versionId ? `@${ref.versionId}` : ""}`];
    };
    return { calls, load };
  };
  const rejection = async (promise: Promise<unknown>): Promise<WorkflowIssue[]> => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(WorkflowCompileError);
    return (error as WorkflowCompileError).issues;
  };

  it("puts the saved definition in the step's place (each loaded once), and runs as the inline one", async () => {
    const { calls, load } = store({ "ws/echo@v2": { specification: echoChild } });
    const parent = { specification: wf(
      [byRef("one", { workflow_workspace_id: "ws", workflow_id: "echo", workflow_version_id: "v2" }, { x: "$inputs.items" }), byRef("two", { workflow_workspace_id: "ws", workflow_id: "echo", workflow_version_id: "v2" }, { x: "$inputs.items", p: 9 })],
      [out("one", "$steps.one.p_back"), out("two", "$steps.two.p_back")],
    ) };
    const resolved = await resolveInnerWorkflows(parent, load);
    expect(calls).toEqual([{ workspace: "ws", id: "echo", versionId: "v2" }]);
    expect((resolved as { specification: { steps: unknown[] } }).specification.steps[0]).toEqual(inner("one", echoChild, { x: "$inputs.items" }));
    expect((await engine.run(resolved, { items: ["i"] })).outputs).toEqual([{ one: 3, two: 9 }]);
    // Nothing to load: the very same object (the plan cache's fast path by text stays as it was).
    const inlineOnly = wf([inner("c", echoChild, { x: "$inputs.items" })], [out("x", "$steps.c.x_back")]);
    expect(await resolveInnerWorkflows(inlineOnly, load)).toBe(inlineOnly);
  });

  it("refuses workflows that include each other, naming the chain; and one that includes the root", async () => {
    const a = wf([byRef("to_b", { workflow_workspace_id: "ws", workflow_id: "b" }, { x: "$inputs.x" })], [out("x_back", "$steps.to_b.x_back")], [{ type: "WorkflowBatchInput", name: "x" }]);
    const b = wf([byRef("to_a", { workflow_workspace_id: "ws", workflow_id: "a" }, { x: "$inputs.x" })], [out("x_back", "$steps.to_a.x_back")], [{ type: "WorkflowBatchInput", name: "x" }]);
    const { load } = store({ "ws/a": a, "ws/b": b });
    const parent = wf([byRef("top", { workflow_workspace_id: "ws", workflow_id: "a" }, { x: "$inputs.items" })], [out("x", "$steps.top.x_back")]);
    expect(await rejection(resolveInnerWorkflows(parent, load))).toEqual([{
      code: "inner_workflow_cycle",
      message: 'Step "to_a": workflows include each other in a cycle: ws/a -> ws/b -> ws/a',
      pointer: "/steps/0/workflow_definition/steps/0/workflow_definition/steps/0",
      step: "to_a",
    }]);
    // Compiling saved workflow ws/a itself: its child's child is the root.
    expect((await rejection(resolveInnerWorkflows(a, load, { workspace: "ws", id: "a" })))[0]!.message)
      .toBe('Step "to_a": workflows include each other in a cycle: ws/a -> ws/b -> ws/a');
  });

  it("a workflow that cannot be loaded: its pointer and name, nothing else loaded for it", async () => {
    const { load } = store({});
    const parent = wf([{ type: "Echo", name: "e", value: 1 }, byRef("gone", { workflow_workspace_id: "ws", workflow_id: "nope", workflow_version_id: "v1" }, {})], [out("x", "$steps.gone.x")]);
    expect(await rejection(resolveInnerWorkflows(parent, load))).toEqual([{
      code: "inner_workflow_not_found",
      message: 'Step "gone": the saved workflow ws/nope (version v1) does not exist, or these credentials may not read it',
      pointer: "/steps/1/workflow_id",
      step: "gone",
      property: "workflow_id",
    }]);
  });
});
