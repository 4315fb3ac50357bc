/**
 * A workflow in the debugger page, nothing run (no models needed): the detect -> crop -> classify
 * demo opened from the list shows its graph — a node for each input, step and output of its
 * definition, the steps labelled with their blocks — at 1280x800 and on a phone; its definition
 * broken in the editor shows the compile error at the line of the broken field.
 */
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES_DIR } from "../../examples/examples.js";
import { chromiumMissing } from "./browser.js";
import { PHONE, sideScroll, startDebugger, type Debugger } from "./debugger.js";

const DEMO = "detect-crop-classify";
const definition = JSON.parse(readFileSync(`${EXAMPLES_DIR}${DEMO}.workflow.json`, "utf8")) as {
  inputs: { name: string }[];
  steps: { name: string; type: string }[];
  outputs: { name: string }[];
};
/** `input:image`, `step:detection`, `output:detected`, … as the graph names its nodes. */
const NODES = [...definition.inputs.map((i) => `input:${i.name}`), ...definition.steps.map((s) => `step:${s.name}`), ...definition.outputs.map((o) => `output:${o.name}`)].sort();

const nodesOf = (page: Page) => page.getByTestId("graph-node").evaluateAll((all) => all.map((node) => node.getAttribute("data-node")!).sort());

describe.skipIf(chromiumMissing("the workflow views in Chromium"))("a workflow's graph and definition in the page", () => {
  let ui: Debugger;
  beforeAll(async () => {
    ui = await startDebugger("workflow-views");
  }, 120_000);
  afterAll(() => ui?.close());
  afterEach(() => expect(ui.takeProblems()).toEqual([]));

  it("opens the demo from the list and draws its graph: every input, step and output a node, edges between them", async () => {
    const page = await ui.open();
    const row = page.locator(`[data-testid=workflow-row][data-url="${DEMO}"]`);
    await row.waitFor();
    await ui.shot(page, "workflows");
    await row.getByRole("link").click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/workflows/${DEMO}/graph$`));
    await page.getByTestId("graph-node").first().waitFor();
    expect(await nodesOf(page)).toEqual(NODES);
    // Not run: every step is pending. The detection step is labelled with its block's friendly name.
    expect(await page.locator("[data-testid=graph-node][data-node^='step:']").evaluateAll((all) => all.map((node) => node.getAttribute("data-status")))).toEqual(definition.steps.map(() => "pending"));
    expect(await page.locator("[data-testid=graph-node][data-node='step:detection']").getAttribute("aria-label")).toMatch(/Object Detection/i);
    // An edge for each selector at least: the crops step reads the image and the detections.
    const edges = await page.getByTestId("graph-edge").evaluateAll((all) => all.map((edge) => `${edge.getAttribute("data-from")} -> ${edge.getAttribute("data-to")}`));
    expect(edges).toEqual(expect.arrayContaining(["input:image -> step:detection", "input:image -> step:crops", "step:detection -> step:crops", "step:labels -> output:annotated"]));
    await ui.shot(page, "graph");
    await page.close();

    const phone = await ui.open({ viewport: PHONE });
    await phone.goto(`${ui.stack.url}/#/workflows/${DEMO}/graph`);
    await phone.getByTestId("graph-node").first().waitFor();
    expect(await nodesOf(phone)).toEqual(NODES);
    expect(await sideScroll(phone)).toBe(0);
    await ui.shot(phone, "graph");
    await phone.close();
  }, 60_000);

  it("shows a broken definition's compile error at the line of the broken field", async () => {
    const page = await ui.open();
    await page.goto(`${ui.stack.url}/#/workflows/${DEMO}/definition`);
    await page.locator("[data-testid=definition-editor] .cm-content").waitFor();
    await expect.poll(() => page.getByTestId("compile-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("ok");

    // The crops step's detections from a step that does not exist: the text typed over the editor's.
    const broken = structuredClone(definition) as typeof definition & { steps: Record<string, unknown>[] };
    broken.steps[1]!["predictions"] = "$steps.nothing.predictions";
    const text = JSON.stringify(broken, null, 2);
    const line = text.split("\n").findIndex((l) => l.includes('"$steps.nothing.predictions"')) + 1;
    expect(line).toBeGreaterThan(1);
    await ui.tolerating(/status of 400/, async () => {
      await page.locator("[data-testid=definition-editor] .cm-content").click();
      await page.keyboard.press("ControlOrMeta+A");
      await page.keyboard.insertText(text);
      await page.getByTestId("compile-errors").waitFor({ timeout: 10_000 });
    });
    const errors = page.locator("[data-testid=compile-errors] li");
    expect(await errors.evaluateAll((all) => all.map((li) => ({ line: Number(li.getAttribute("data-line")), pointer: li.getAttribute("data-pointer") })))).toEqual([
      { line, pointer: "/specification/steps/1/predictions" },
    ]);
    expect(await errors.first().textContent()).toContain('refers to step "nothing"');
    expect(await page.getByTestId("compile-status").getAttribute("data-state")).toBe("errors");
    // The editor marks the field itself: a lint mark on that line.
    const marked = await page.locator(".cm-line:has(.cm-lintRange-error)").first().textContent();
    expect(marked).toContain("$steps.nothing.predictions");
    await ui.shot(page, "compile-error");
    await page.close();
  }, 60_000);
});
