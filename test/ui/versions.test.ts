/**
 * A workflow's Versions tab in the debugger page (no models needed): an edit saved in the editor
 * makes a second version; the older one opens read-only with its own definition and graph, and
 * "Restore this version" saves it as the newest version, whose text is the older one's. A restore
 * after the workflow changed elsewhere is a conflict that offers to reload, as the editor's save is.
 */
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing } from "./browser.js";
import { PHONE, sideScroll, startDebugger, type Debugger } from "./debugger.js";

const URL_NAME = "versioned";
/** A parameter `x` echoed back; each version differs in its default. */
const echoing = (x: number) => ({
  version: "1.0",
  inputs: [{ type: "WorkflowParameter", name: "x", default_value: x }],
  steps: [{ type: "roboflow_core/property_definition@v1", name: "copy", data: "$inputs.x", operations: [] }],
  outputs: [{ type: "JsonField", name: "x", selector: "$steps.copy.output" }],
});
/** As the page shows a definition: two-space JSON. */
const textOf = (definition: unknown) => JSON.stringify(definition, null, 2);

const rows = (page: Page) => page.getByTestId("version-row");
const rowIds = (page: Page) => rows(page).evaluateAll((all) => all.map((row) => row.getAttribute("data-version")!));
const viewText = (page: Page) => page.locator("[data-testid=version-view] [data-testid=version-definition]").textContent();

describe.skipIf(chromiumMissing("the Versions tab in Chromium"))("a workflow's versions in the page", () => {
  let ui: Debugger;
  /** The service as the page's key reaches it. */
  const service = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${ui.stack.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${ui.stack.apiKey}`, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as { workflow: { versionId: string }; etag: string } };
  };

  beforeAll(async () => {
    ui = await startDebugger("versions");
    expect((await service(`/${ui.stack.workspace}/createWorkflow`, { name: "Versioned", url: URL_NAME, config: { specification: echoing(1) } })).status).toBe(201);
  }, 120_000);
  afterAll(() => ui?.close());
  afterEach(() => expect(ui.takeProblems()).toEqual([]));

  it("opens an older version read-only and restores it as the newest version", async () => {
    const page = await ui.open();
    await page.goto(`${ui.stack.url}/#/workflows/${URL_NAME}/definition`);
    const editor = page.locator("[data-testid=definition-editor] .cm-content");
    await editor.waitFor();
    await expect.poll(() => page.getByTestId("compile-status").getAttribute("data-state"), { timeout: 10_000 }).toBe("ok");
    await editor.click();
    await page.keyboard.press("ControlOrMeta+A");
    await page.keyboard.insertText(textOf(echoing(2)));
    await page.getByTestId("save-definition").click();
    await expect.poll(() => page.getByTestId("draft-state").getAttribute("data-dirty")).toBe("false");

    await page.getByTestId("tab-versions").click();
    await expect.poll(() => rows(page).count()).toBe(2);
    const [edited, first] = await rowIds(page);
    // The older version: its own text and graph, not the current one's.
    await rows(page).nth(1).getByTestId("version-open").click();
    await expect.poll(() => page.getByTestId("version-view").getAttribute("data-version")).toBe(first);
    expect(await viewText(page)).toBe(textOf(echoing(1)));
    await page.getByTestId("version-view").getByRole("button", { name: "Graph" }).click();
    await page.locator("[data-testid=version-view] [data-testid=graph-node][data-node='step:copy']").waitFor();
    await ui.shot(page, "older-version");

    await page.getByTestId("restore-version").click();
    await page.getByTestId("restored").waitFor();
    await expect.poll(() => rows(page).count()).toBe(3);
    const [restored, ...earlier] = await rowIds(page);
    expect(earlier).toEqual([edited, first]);
    expect(await page.getByTestId("restored").textContent()).toContain(restored);
    expect(await rows(page).first().locator(".badge").textContent()).toBe("current");
    // The newest version's text is the older one's, and the page's draft follows it (no unsaved changes).
    await rows(page).first().getByTestId("version-open").click();
    await expect.poll(() => page.getByTestId("version-view").getAttribute("data-version")).toBe(restored);
    expect(await viewText(page)).toBe(textOf(echoing(1)));
    expect(await page.getByTestId("restore-version").count()).toBe(0);
    expect(await page.getByTestId("unsaved").count()).toBe(0);
    await ui.shot(page, "restored");
    await page.close();
  }, 60_000);

  it("a restore after the workflow changed elsewhere is a conflict: reloaded, the restore goes through", async () => {
    const page = await ui.open();
    await page.goto(`${ui.stack.url}/#/workflows/${URL_NAME}/versions`);
    await rows(page).first().waitFor();
    const before = await rowIds(page);
    // Saved behind the page's back: the ETag the page holds is stale.
    const read = await fetch(`${ui.stack.url}/${ui.stack.workspace}/workflows/${URL_NAME}`, { headers: { authorization: `Bearer ${ui.stack.apiKey}` } });
    const { etag } = (await read.json()) as { etag: string };
    const elsewhere = await service(`/${ui.stack.workspace}/updateWorkflow`, { url: URL_NAME, config: { specification: echoing(3) } }, { "if-match": etag });
    expect(elsewhere.status).toBe(200);

    await rows(page).last().getByTestId("version-open").click();
    await ui.tolerating(/status of 412/, async () => {
      await page.getByTestId("restore-version").click();
      await page.getByTestId("restore-conflict").waitFor();
    });
    expect(await rows(page).count()).toBe(before.length);
    await page.getByTestId("restore-conflict").getByRole("button", { name: /Reload/ }).click();
    await expect.poll(() => rows(page).count()).toBe(before.length + 1);
    expect((await rowIds(page))[0]).toBe(elsewhere.body.workflow.versionId);

    // The version stays open, and restored now carries the ETag just read.
    expect(await page.getByTestId("version-view").getAttribute("data-version")).toBe(before.at(-1));
    await page.getByTestId("restore-version").click();
    await page.getByTestId("restored").waitFor();
    await expect.poll(() => rows(page).count()).toBe(before.length + 2);
    await rows(page).first().getByTestId("version-open").click();
    await expect.poll(() => viewText(page)).toBe(textOf(echoing(1)));
    await page.close();
  }, 60_000);

  it("fits a phone with a version open", async () => {
    const phone = await ui.open({ viewport: PHONE });
    await phone.goto(`${ui.stack.url}/#/workflows/${URL_NAME}/versions`);
    await rows(phone).last().getByTestId("version-open").click();
    await phone.getByTestId("version-definition").waitFor();
    expect(await sideScroll(phone)).toBe(0);
    await ui.shot(phone, "version-open");
    await phone.close();
  }, 60_000);
});
