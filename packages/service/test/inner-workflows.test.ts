/** inner_workflow steps naming saved workflows: loaded before compiling, with the access rules of inner-workflows.ts. */
import { describe, expect, it } from "vitest";
import { ECHO_WORKFLOW } from "../src/testing/index.js";
import { KEYS, testService, WORKSPACE } from "./harness.js";

const including = (workspace: string, id: string, extra: Record<string, unknown> = {}) => ({
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "v" }],
  steps: [{ type: "roboflow_core/inner_workflow@v1", name: "inc", workflow_workspace_id: workspace, workflow_id: id, parameter_bindings: { x: "$inputs.v" }, ...extra }],
  outputs: [{ type: "JsonField", name: "from_child", selector: "$steps.inc.x" }],
});

describe("inner_workflow through the service", () => {
  it("runs an inline definition including a saved workflow of the caller's workspace, or a public one; not another workspace's", async () => {
    const { call, store } = await testService();
    await store.create(WORKSPACE, { url: "echo", name: "Echo", specification: ECHO_WORKFLOW });
    await store.create("other", { url: "their-echo", name: "Theirs", specification: ECHO_WORKFLOW });
    await store.create("other", { url: "open-echo", name: "Open", specification: ECHO_WORKFLOW, public: true });
    const mine = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: including(WORKSPACE, "echo"), inputs: { v: 42 } } });
    expect([mine.statusCode, mine.body]).toEqual([200, { outputs: [{ from_child: 42 }] }]);
    const open = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: including("other", "open-echo"), inputs: { v: 5 } } });
    expect([open.statusCode, open.body]).toEqual([200, { outputs: [{ from_child: 5 }] }]);
    const theirs = await call("POST", "/workflows/run", { key: KEYS.runner, body: { specification: including("other", "their-echo"), inputs: { v: 1 } } });
    expect(theirs.statusCode).toBe(400);
    expect(theirs.body.error.details.errors).toEqual([{
      code: "inner_workflow_not_found",
      message: 'Step "inc": the saved workflow other/their-echo does not exist, or these credentials may not read it',
      pointer: "/steps/0/workflow_id",
      step: "inc",
      property: "workflow_id",
    }]);
  });

  it("runs a saved workflow that includes another of its workspace, and describes its interface", async () => {
    const { call, store } = await testService();
    await store.create(WORKSPACE, { url: "echo", name: "Echo", specification: ECHO_WORKFLOW });
    await store.create(WORKSPACE, { url: "parent", name: "Parent", specification: including(WORKSPACE, "echo") });
    const first = await call("POST", `/${WORKSPACE}/workflows/parent`, { key: KEYS.runner, body: { inputs: { v: 3 } } });
    expect([first.statusCode, first.body]).toEqual([200, { outputs: [{ from_child: 3 }] }]);
    const interfaceOf = await call("POST", `/${WORKSPACE}/workflows/parent/describe_interface`, { key: KEYS.admin, body: {} });
    expect(interfaceOf.statusCode).toBe(200);
  });

  it("refuses saved workflows that include each other, naming the chain", async () => {
    const { call, store } = await testService();
    await store.create(WORKSPACE, { url: "a", name: "A", specification: { ...including(WORKSPACE, "b"), inputs: [{ type: "WorkflowParameter", name: "v" }, { type: "WorkflowParameter", name: "x" }] } });
    await store.create(WORKSPACE, { url: "b", name: "B", specification: { ...including(WORKSPACE, "a"), inputs: [{ type: "WorkflowParameter", name: "v" }, { type: "WorkflowParameter", name: "x" }] } });
    const response = await call("POST", `/${WORKSPACE}/workflows/a`, { key: KEYS.runner, body: { inputs: { v: 1 } } });
    expect(response.statusCode).toBe(400);
    expect(response.body.error.details.errors.map((e: { code: string; message: string }) => [e.code, e.message])).toEqual([
      ["inner_workflow_cycle", `Step "inc": workflows include each other in a cycle: ${WORKSPACE}/a -> ${WORKSPACE}/b -> ${WORKSPACE}/a`],
    ]);
  });
});
