/**
 * Runs in the debugger page, with the real models on a real photo (they skip with one line when
 * ../shared or the models are absent, and fail under CVFLOW_REQUIRE_TEST_ASSETS=1):
 * - detect -> crop -> classify: bus.jpg picked through the run form's file input, run; the run's
 *   page lists its events as the service has them, lights every step succeeded, draws the boxes
 *   over the photo (as many as the record's detections, fewer above a confidence the slider sets),
 *   times the steps; reopened from the history, it shows the same; on a phone, no sideways scroll.
 * - detect-review-classify (a person asked): the run waits with the form the step's answer schema
 *   makes, the answer (its detections, the doubtful ones left out) is sent from it, the run finishes
 *   with what was kept.
 */
import { missing, sharedPhoto } from "@cvflow/vision/test-assets";
import { CvflowClient, type RunEvent, type RunRecord } from "@cvflow/sdk";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chromiumMissing } from "./browser.js";
import { PHONE, sideScroll, startDebugger, type Debugger } from "./debugger.js";

const SUITE = "runs in the debugger page";
const NEEDS = { models: ["yolov8n-640", "mobilenetv2-imagenet"], photos: ["bus.jpg"] };

interface Prediction {
  class: string;
  confidence: number;
}

/** Starts a run of `workflow` on bus.jpg from its Run tab; answers the new run's id, the page on its view. */
async function runOnBus(ui: Debugger, page: Page, workflow: string): Promise<string> {
  await page.goto(`${ui.stack.url}/#/workflows/${workflow}/run`);
  await page.getByTestId("run-form").waitFor();
  await page.getByTestId("image-input-image").setInputFiles(sharedPhoto("bus.jpg"));
  await page.getByTestId("image-preview").waitFor();
  await ui.shot(page, `${workflow}-form`);
  await page.getByTestId("run-button").click();
  await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/#\/runs\/[^/]+$/);
  return decodeURIComponent(page.url().split("#/runs/")[1]!);
}

const status = (page: Page) => page.getByTestId("run-status").getAttribute("data-status");
const stepStatuses = (page: Page) =>
  page.locator("[data-testid=graph-node][data-node^='step:']").evaluateAll((all) => Object.fromEntries(all.map((node) => [node.getAttribute("data-node")!.slice(5), node.getAttribute("data-status")])));
const loggedTypes = (page: Page) => page.locator("[data-testid=event-log] li[data-type]").evaluateAll((all) => all.map((li) => li.getAttribute("data-type")));

describe.skipIf(chromiumMissing(SUITE) ?? missing(SUITE, NEEDS))(SUITE, () => {
  let ui: Debugger;
  let client: CvflowClient;
  beforeAll(async () => {
    ui = await startDebugger("run-scenarios");
    client = new CvflowClient({ baseUrl: ui.stack.url, apiKey: ui.stack.apiKey });
  }, 120_000);
  afterAll(() => ui?.close());
  afterEach(() => expect(ui.takeProblems()).toEqual([]));

  /** The run's events as the service lists them, to the end of a finished run. */
  async function eventsOf(id: string): Promise<RunEvent[]> {
    const events: RunEvent[] = [];
    for await (const event of client.streamEvents(id)) events.push(event);
    return events;
  }

  it("runs detect -> crop -> classify on bus.jpg from the form: events listed, steps lit, boxes drawn; reopened from the history", async () => {
    const page = await ui.open();
    const id = await runOnBus(ui, page, "detect-crop-classify");
    await expect.poll(() => status(page), { timeout: 60_000, interval: 250 }).toBe("succeeded");
    const record: RunRecord = await client.getRun(id);
    const steps = record.steps.map((step) => step.name);
    const detected = (record.outputs![0]!["detected"] as { predictions: Prediction[] }).predictions;
    expect(detected.length).toBeGreaterThan(0);

    // The event log: every event of the run, in order, as the service lists them.
    const events = await eventsOf(id);
    await expect.poll(() => loggedTypes(page), { timeout: 10_000 }).toEqual(events.map((event) => event.type));
    expect(events.filter((event) => event.type === "step_finished")).toHaveLength(steps.length);
    // The graph: every step lit succeeded.
    expect(await stepStatuses(page)).toEqual(Object.fromEntries(steps.map((step) => [step, "succeeded"])));

    // The detections drawn over the photo: one box per detection of the record, then those the slider keeps.
    const canvas = page.locator("[data-testid=output][data-output=detected] canvas[data-testid=detections]");
    await expect.poll(() => canvas.getAttribute("data-drawn"), { timeout: 10_000 }).toBe(String(detected.length));
    expect(await canvas.evaluate((element: { width: number; height: number }) => [element.width, element.height])).toEqual([810, 1080]);
    await page.locator("[data-testid=output][data-output=detected] [data-testid=confidence]").fill("0.6");
    const confident = detected.filter((p) => p.confidence >= 0.6).length;
    expect(confident).toBeLessThan(detected.length);
    await expect.poll(() => canvas.getAttribute("data-drawn")).toBe(String(confident));
    // The timeline: a bar per step.
    expect(await page.getByTestId("timeline-bar").count()).toBe(steps.length);
    await ui.shot(page, "detect-crop-classify-run");

    // Reopened from the history.
    await page.goto(`${ui.stack.url}/#/runs`);
    const row = page.locator(`[data-testid=run-row][data-run="${id}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("succeeded");
    await ui.shot(page, "history");
    await row.getByRole("link").first().click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`#/runs/${id}$`));
    await expect.poll(() => status(page)).toBe("succeeded");
    await expect.poll(() => canvas.getAttribute("data-drawn"), { timeout: 10_000 }).toBe(String(detected.length));
    await expect.poll(() => loggedTypes(page), { timeout: 10_000 }).toEqual(events.map((event) => event.type));
    await page.close();

    const phone = await ui.open({ viewport: PHONE });
    await phone.goto(`${ui.stack.url}/#/runs/${id}`);
    await expect.poll(() => status(phone)).toBe("succeeded");
    await expect.poll(() => phone.locator("[data-testid=output][data-output=detected] canvas[data-testid=detections]").getAttribute("data-drawn"), { timeout: 10_000 }).toBe(String(detected.length));
    expect(await sideScroll(phone)).toBe(0);
    await ui.shot(phone, "detect-crop-classify-run");
    await phone.close();
  }, 120_000);

  it("runs the human-input demo: waits with a form from the answer schema, the answer sent from it, then finishes with what was kept", async () => {
    const page = await ui.open();
    const id = await runOnBus(ui, page, "detect-review-classify");
    await page.getByTestId("input-form").waitFor({ timeout: 60_000 });
    expect(await status(page)).toBe("waiting");
    expect(await page.getByTestId("input-prompt").textContent()).toContain("confidence under 0.6");
    await expect.poll(() => stepStatuses(page)).toMatchObject({ detection: "succeeded", review: "waiting" });
    await ui.shot(page, "detect-review-classify-waiting");

    // The person starts from what the step shows and leaves out the doubtful detections.
    await page.getByTestId("fill-from-data").click();
    const field = page.locator("[data-testid=answer-field][data-pointer='/predictions'] textarea");
    const shown = JSON.parse(await field.inputValue()) as Prediction[];
    expect(shown.length).toBe(5);
    const kept = shown.filter((p) => p.confidence >= 0.6);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(shown.length);
    await field.fill(JSON.stringify(kept, null, 2));
    await page.getByTestId("send-answer").click();

    await expect.poll(() => status(page), { timeout: 60_000, interval: 250 }).toBe("succeeded");
    const record = await client.getRun(id);
    expect(record.outputs![0]!["confirmed_count"]).toBe(kept.length);
    expect((record.outputs![0]!["confirmed"] as { predictions: Prediction[] }).predictions.map((p) => p.class)).toEqual(kept.map((p) => p.class));
    const events = await eventsOf(id);
    expect(events.map((event) => event.type)).toContain("input_received");
    await expect.poll(() => loggedTypes(page), { timeout: 10_000 }).toEqual(events.map((event) => event.type));
    expect(Object.values(await stepStatuses(page)).every((s) => s === "succeeded")).toBe(true);
    // The steps the run took from their checkpoints when it went on after the answer: marked "reused" on their boxes.
    const lastStart = events.findLastIndex((event) => event.type === "run_started");
    const reused = events.slice(lastStart).flatMap((event) => (event.type === "step_finished" && event.reused ? [event.step] : []));
    expect(reused).toEqual(["detection"]);
    const marked = page.locator("[data-testid=graph-node][data-reused=true]");
    expect((await marked.evaluateAll((all) => all.map((node) => node.getAttribute("data-node")!.slice(5)))).sort()).toEqual([...reused].sort());
    for (const text of await marked.locator(".graph-text-status").allTextContents()) expect(text).toMatch(/^✓ reused · /);
    await ui.shot(page, "detect-review-classify-finished");
    await page.close();
  }, 120_000);
});
