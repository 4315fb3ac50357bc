/**
 * The batch jobs view in Chromium over the local stack: jobs submitted over HTTP (a quick one with
 * a corrupt image, a slow one of 12 images one at a time through test/fixtures/pause-block.ts), a
 * job's page following the slow one as it goes, its abort and restart through the page's buttons;
 * the list with both jobs' states and progress; the failures of the quick one and its result files
 * downloaded through the page's links; a new job submitted from the page over images picked in it.
 * At 1280x800 and 390x844 (no sideways scroll).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createS3Client } from "@cvflow/store";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { lightWorkflow, photoVariants, pythonCsv, uploadVariants, type Variant } from "../batch-fixtures.js";
import { call } from "../local-stack.js";
import { chromiumMissing } from "./browser.js";
import { PHONE, sideScroll, startDebugger, type Debugger } from "./debugger.js";

const IMAGES = "datasets/ui/";
/** Per image of the slow job: 12 s in all, long enough to be seen running and stopped halfway on a loaded machine. */
const PAUSE_MS = 1000;

/** An attribute of the first element with this test id, read as the page has it now. */
const attribute = (page: Page, testId: string, name: string) => page.getByTestId(testId).first().getAttribute(name);

describe.skipIf(chromiumMissing("the batch jobs view in Chromium"))("the batch jobs view", () => {
  let ui: Debugger;
  let quick: string;
  let slow: string;
  let sources: string[];
  let variants: Variant[];
  let submit: (body: Record<string, unknown>) => Promise<string>;
  beforeAll(async () => {
    ui = await startDebugger("batch-jobs", { batch: { maxConcurrency: 1 }, env: { CVFLOW_BLOCKS_MODULE: fileURLToPath(new URL("../fixtures/pause-block.ts", import.meta.url)) } });
    const s3 = createS3Client({ endpoint: ui.stack.s3.endpoint, region: ui.stack.s3.region, credentials: ui.stack.s3.credentials });
    const bucket = ui.stack.s3.bucket;
    variants = await photoVariants(12);
    await uploadVariants(s3, bucket, IMAGES, variants);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${IMAGES}corrupt.jpg`, Body: Buffer.from("\xff\xd8\xff\xe0 truncated") }));
    s3.destroy();
    sources = variants.map((variant) => `s3://${bucket}/${IMAGES}${variant.path}`);
    submit = async (body: Record<string, unknown>): Promise<string> => {
      const submitted = await call(ui.stack, "POST", "/batch/jobs", { body: { workflow: { specification: lightWorkflow() }, ...body } });
      expect(submitted.status).toBe(202);
      return submitted.body.job;
    };
    // 1 of 4 failed (25 %) within the 30 % it tolerates: completed with failures.
    quick = await submit({ input: { manifest: [...sources.slice(0, 3), `s3://${bucket}/${IMAGES}corrupt.jpg`] }, tolerated_failure_percentage: 30 });
    for (;;) {
      const { body } = await call(ui.stack, "GET", `/batch/jobs/${quick}`);
      if (body.state === "completed_with_failures") break;
      expect(["submitted", "running", undefined]).toContain(body.state);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);
  afterAll(() => ui?.close());
  afterEach(() => expect(ui.takeProblems()).toEqual([]));

  it("follows a running job on its page, aborts it and restarts it with the page's buttons, until it succeeds", async () => {
    slow = await submit({ workflow: { specification: lightWorkflow(PAUSE_MS) }, input: { manifest: sources }, batch_size: 1, max_concurrency: 1 });
    const page = await ui.open();
    await page.goto(`${ui.stack.url}/#/batch/${slow}`);
    // The page polls by itself: its bar moves while the job runs.
    await expect.poll(() => attribute(page, "batch-state", "data-state"), { timeout: 20_000 }).toBe("running");
    const doneFirst = Number(await attribute(page, "batch-progress", "data-done"));
    expect(doneFirst).toBeLessThan(12);
    await expect.poll(async () => Number(await attribute(page, "batch-progress", "data-done")), { timeout: 20_000 }).toBeGreaterThan(doneFirst);
    expect(await attribute(page, "batch-progress", "data-total")).toBe("12");
    await ui.shot(page, "running");

    await page.getByRole("button", { name: "Abort" }).click();
    await expect.poll(() => attribute(page, "batch-state", "data-state"), { timeout: 10_000 }).toBe("aborted");
    const doneWhenAborted = Number(await attribute(page, "batch-progress", "data-done"));
    expect(doneWhenAborted).toBeLessThan(12);
    expect((await call(ui.stack, "GET", `/batch/jobs/${slow}`)).body.state).toBe("aborted");
    await ui.shot(page, "aborted");

    await page.getByRole("button", { name: "Restart" }).click();
    await expect.poll(() => attribute(page, "batch-state", "data-state"), { timeout: 60_000, interval: 200 }).toBe("succeeded");
    expect([await attribute(page, "batch-progress", "data-done"), await attribute(page, "batch-progress", "data-failed")]).toEqual(["12", "0"]);
    // What the service says of the last execution, as the page shows it: what was done before the abort was skipped.
    const status = (await call(ui.stack, "GET", `/batch/jobs/${slow}`)).body;
    expect(status.last_run.skipped).toBeGreaterThanOrEqual(doneWhenAborted);
    expect(await page.locator(".batch-facts").textContent()).toContain(`skipped ${status.last_run.skipped}`);
    await ui.shot(page, "restarted");
    await page.close();
  }, 120_000);

  it("lists the jobs, newest first, with their states and progress", async () => {
    const page = await ui.open();
    await page.goto(`${ui.stack.url}/#/batch`);
    const rows = page.getByTestId("batch-job-row");
    await rows.first().waitFor();
    await expect.poll(() => rows.evaluateAll((all) => all.map((row) => row.getAttribute("data-job")))).toEqual([slow, quick]);
    const quickRow = page.locator(`[data-testid=batch-job-row][data-job="${quick}"]`);
    expect(await quickRow.getAttribute("data-state")).toBe("completed_with_failures");
    expect(await page.locator(`[data-testid=batch-job-row][data-job="${slow}"]`).getAttribute("data-state")).toBe("succeeded");
    const bar = quickRow.getByTestId("batch-progress");
    expect([await bar.getAttribute("data-done"), await bar.getAttribute("data-failed"), await bar.getAttribute("data-total")]).toEqual(["3", "1", "4"]);
    expect(await quickRow.textContent()).toContain("completed with failures");
    await ui.shot(page, "list");
    await page.close();
  }, 60_000);

  it("shows a job's failures against what it tolerates, and fits a phone", async () => {
    const page = await ui.open({ viewport: PHONE });
    await page.goto(`${ui.stack.url}/#/batch/${quick}`);
    await page.getByTestId("batch-failures").waitFor();
    expect(await page.getByTestId("batch-failure-summary").textContent()).toBe("1 of 4 images failed (25 %); the job tolerates 30 %");
    expect(await page.getByTestId("batch-error").count()).toBe(0);
    // The failed image and why, read from the job's failures.jsonl.
    const failed = page.getByTestId("batch-failure");
    await failed.first().waitFor();
    expect(await failed.evaluateAll((all) => all.map((li) => li.getAttribute("data-image")))).toEqual([`${IMAGES}corrupt`]);
    expect(await failed.first().getAttribute("data-code")).toMatch(/image/);

    // Its files, as links the browser follows without the key (presigned, on the stack's S3 server).
    const links = page.getByTestId("batch-download");
    await links.first().waitFor();
    expect(await sideScroll(page)).toBe(0);
    await ui.shot(page, "failures");
    expect(await links.evaluateAll((all) => all.map((link) => link.getAttribute("data-name")))).toEqual(["aggregated_results.csv", "failures.jsonl", "summary.json"]);
    const [download] = await Promise.all([page.waitForEvent("download"), links.first().click()]);
    const csv = pythonCsv(readFileSync(await download.path(), "utf8"));
    expect(csv.header).toEqual(["image", "width", "height", "label"]);
    expect(csv.rows).toHaveLength(3);
    await page.goto(`${ui.stack.url}/#/batch`);
    await page.getByTestId("batch-job-row").first().waitFor();
    expect(await sideScroll(page)).toBe(0);
    await ui.shot(page, "list");
    await page.close();
  }, 60_000);

  it("submits a new job of a saved workflow over images picked in the page (uploaded through /uploads) and opens it", async () => {
    expect((await call(ui.stack, "POST", `/${ui.stack.workspace}/createWorkflow`, { body: { name: "Sizes", url: "sizes", config: { specification: lightWorkflow() } } })).status).toBe(201);
    const page = await ui.open();
    await page.goto(`${ui.stack.url}/#/batch`);
    await page.getByText("New job").click();
    await page.getByLabel("Workflow").selectOption("sizes");
    await page.getByLabel("Images from this computer").check();
    const picked = variants.slice(0, 3);
    await page.getByLabel("Images", { exact: true }).setInputFiles(picked.map((variant, i) => ({ name: `picked-${i}.jpg`, mimeType: "image/jpeg", buffer: variant.bytes })));
    await page.getByLabel("Results as").selectOption("jsonl");
    await ui.shot(page, "new-job");
    await page.getByRole("button", { name: "Submit job" }).click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/#\/batch\/[^/]+$/);
    const job = decodeURIComponent(page.url().split("#/batch/")[1]!);
    await expect.poll(() => attribute(page, "batch-state", "data-state"), { timeout: 30_000, interval: 200 }).toBe("succeeded");
    expect([await attribute(page, "batch-progress", "data-done"), await attribute(page, "batch-progress", "data-total")]).toEqual(["3", "3"]);
    await page.getByTestId("batch-download").first().waitFor();
    expect(await page.getByTestId("batch-download").first().getAttribute("data-name")).toBe("aggregated_results.jsonl");
    // The job as the service has it: the saved workflow, over the three uploads, their widths measured.
    const status = (await call(ui.stack, "GET", `/batch/jobs/${job}`)).body;
    expect(status).toMatchObject({ state: "succeeded", total: 3, done: 3, failed: 0 });
    await ui.shot(page, "new-job-finished");
    await page.close();
  }, 60_000);
});
