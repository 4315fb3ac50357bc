/** `cvflow process-images-directory` and `process-image`: the real command on a folder of real photos, workflows run in-process. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { missing } from "@cvflow/vision/test-assets";
import { parseWithPython } from "../../../test/python-csv.js";
import { BLUR_WORKFLOW, RecordedApi, TEST_KEYS, TEST_WORKSPACE } from "@cvflow/service/testing";
import { GRAYSCALE_WORKFLOW, makeImageFolder, TRUNCATED_JPEG } from "./image-folder.js";
import { cvflow, ROOT } from "./spawn-cvflow.js";

const dir = mkdtempSync(`${tmpdir()}/cvflow-dir-`);
const IN = `${dir}/in`;
const SPEC = `${dir}/gray.json`;
let out: string;
let runs = 0;

beforeAll(async () => {
  await makeImageFolder(IN);
  writeFileSync(SPEC, JSON.stringify(GRAYSCALE_WORKFLOW));
});
beforeEach(() => {
  out = `${dir}/out-${++runs}`;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file below `folder`, relative, sorted; failed_files_<timestamp> shortened to failed_files_*. */
function files(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((path) => statSync(`${folder}/${path}`).isFile())
    .map((path) => path.replace(/^failed_files_.*\.jsonl$/, "failed_files_*.jsonl"))
    .sort();
}


const json = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const lines = (path: string) => readFileSync(path, "utf8").trimEnd().split("\n").map((line) => JSON.parse(line));
const failuresOf = (folder: string) => readdirSync(folder).filter((name) => name.startsWith("failed_files_"));

describe("cvflow process-images-directory", () => {
  it("writes results, image outputs, the CSV aggregation and the failures of a folder, exit 1 as one failed; a rerun retries the failure, --skip-failed skips it; --force-reprocessing redoes all", async () => {
    const first = await cvflow(["process-images-directory", "-i", IN, "-o", out, "--workflow", SPEC, "--save-image-outputs"]);
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/^processed 4 images in [\d.]+ s \([\d.]+ images\/s\): 3 done, 1 failed, 0 skipped\nresults: .*\/aggregated_results\.csv\nfailures: .*\/failed_files_.*\.jsonl\n$/);
    // Not a terminal: plain progress lines, never a "\r" redraw; then the failure's reason and the exit's.
    expect(first.stderr).not.toContain("\r");
    expect(first.stderr).toMatch(/^4 images in .*: 4 to process\n(progress: .*\n)+failed: corrupt: invalid_image: The JPEG header could not be read.*\ncvflow: images_failed: 1 of 4 images failed; their records: .*\/failed_files_.*\.jsonl\n$/);
    expect(first.stderr).toContain("progress: 4/4 images (1 failed), ");
    expect(files(out)).toEqual([
      ".progress.jsonl",
      "aggregated_results.csv",
      "dog/gray.jpg",
      "dog/results.json",
      "failed_files_*.jsonl",
      "mosaic/gray.jpg",
      "mosaic/results.json",
      "nested/coffee/gray.jpg",
      "nested/coffee/results.json",
    ]);
    expect(json(`${out}/nested/coffee/results.json`)).toEqual({ image: "nested/coffee", source: `${IN}/nested/coffee.png`, outputs: { width: 600, gray: { type: "file", value: "gray.jpg" } } });
    expect(readFileSync(`${out}/dog/gray.jpg`).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(parseWithPython(readFileSync(`${out}/aggregated_results.csv`, "utf8"))).toEqual([
      ["image", "width", "gray"],
      ["dog", "768", "dog/gray.jpg"],
      ["mosaic", "1541", "mosaic/gray.jpg"],
      ["nested/coffee", "600", "nested/coffee/gray.jpg"],
    ]);
    const [failed] = failuresOf(out);
    expect(lines(`${out}/${failed}`)).toEqual([{ image: "corrupt", source: `${IN}/corrupt.jpg`, code: "invalid_image", message: expect.stringContaining("The JPEG header could not be read") }]);
    expect(lines(`${out}/.progress.jsonl`).sort((a, b) => a.image.localeCompare(b.image))).toEqual([
      { image: "corrupt", status: "failed" },
      { image: "dog", status: "done" },
      { image: "mosaic", status: "done" },
      { image: "nested/coffee", status: "done" },
    ]);

    const written = statSync(`${out}/dog/results.json`).mtimeMs;
    const rerun = await cvflow(["process-images-directory", "-i", IN, "-o", out, "--workflow", SPEC, "--save-image-outputs"]);
    expect(rerun.code).toBe(1);
    expect(rerun.stdout).toMatch(/^processed 1 images in [\d.]+ s \([\d.]+ images\/s\): 0 done, 1 failed, 3 skipped\n/);
    expect(rerun.stderr).toContain("1 to process; 3 finished by an earlier run are skipped (--force-reprocessing redoes them); 1 that failed before are retried (--skip-failed skips them)\n");
    expect(rerun.stderr).toContain("failed: corrupt: invalid_image: ");
    expect(statSync(`${out}/dog/results.json`).mtimeMs).toBe(written);
    expect(failuresOf(out)).toHaveLength(2);
    expect(lines(`${out}/.progress.jsonl`)).toHaveLength(5);

    const skipping = await cvflow(["process-images-directory", "-i", IN, "-o", out, "--workflow", SPEC, "--skip-failed"]);
    expect(skipping.code).toBe(0);
    expect(skipping.stdout).toMatch(/^processed 0 images in [\d.]+ s: 0 done, 0 failed, 4 skipped\n/);
    expect(skipping.stderr).toBe(`4 images in ${IN}: 0 to process; 4 finished by an earlier run are skipped (--force-reprocessing redoes them)\n`);
    expect(failuresOf(out)).toHaveLength(2);

    const forced = await cvflow(["process-images-directory", "-i", IN, "-o", out, "--workflow", SPEC, "--force-reprocessing", "--threads", "3", "--json"]);
    expect(forced.code).toBe(1);
    expect(JSON.parse(forced.stdout)).toMatchObject({
      images: 4,
      done: 3,
      failed: 1,
      skipped: 0,
      stopped: false,
      aggregated: "aggregated_results.csv",
      failureSamples: [{ image: "corrupt", source: `${IN}/corrupt.jpg`, code: "invalid_image" }],
    });
    expect(JSON.parse(/^\{[\s\S]*/m.exec(forced.stderr)![0])).toMatchObject({ error: { code: "images_failed", message: expect.stringMatching(/^1 of 4 images failed; /) } });
    expect(lines(`${out}/.progress.jsonl`)).toHaveLength(4);
    expect(failuresOf(out)).toHaveLength(3);
    expect(json(`${out}/dog/results.json`).outputs).toEqual({ width: 768 }); // images not saved this time: left out
  });

  it("exits 1 when every image failed, printing the first five reasons and how many more", async () => {
    const input = `${dir}/all-corrupt`;
    mkdirSync(input);
    for (let i = 1; i <= 7; i++) writeFileSync(`${input}/c${i}.jpg`, TRUNCATED_JPEG);
    const { code, stdout, stderr } = await cvflow(["process-images-directory", "-i", input, "-o", out, "--workflow", SPEC, "--threads", "1"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^processed 7 images .*: 0 done, 7 failed, 0 skipped\n/);
    const reasons = stderr.split("\n").filter((line) => line.startsWith("failed: "));
    expect(reasons).toEqual([1, 2, 3, 4, 5].map((i) => expect.stringMatching(new RegExp(`^failed: c${i}: invalid_image: The JPEG header could not be read`))).concat(["failed: … and 2 more"]));
    expect(stderr).toMatch(/\ncvflow: images_failed: 7 of 7 images failed; their records: .*\/failed_files_.*\.jsonl\n$/);
  });

  it("stops after --max-failures failures with exit 1, keeps what was done; a rerun with --skip-failed goes on past them, a plain rerun retries them", async () => {
    const input = `${dir}/failing`;
    mkdirSync(input);
    for (const name of ["a1", "a2", "a3"]) writeFileSync(`${input}/${name}.jpg`, TRUNCATED_JPEG);
    writeFileSync(`${input}/b.png`, readFileSync(`${IN}/nested/coffee.png`));
    const args = ["process-images-directory", "-i", input, "-o", out, "--workflow", SPEC, "--aggregation-format", "jsonl", "--threads", "1"];

    const stopped = await cvflow([...args, "--max-failures", "2"]);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toMatch(/^processed 2 images .*: 0 done, 2 failed, 0 skipped\n/);
    expect(stopped.stderr).toContain(
      "cvflow: max_failures_reached: Stopped after 2 failures (--max-failures 2); what was done is kept; a rerun retries the failed images, or goes on past them with --skip-failed\n",
    );
    expect(lines(`${out}/.progress.jsonl`)).toEqual([
      { image: "a1", status: "failed" },
      { image: "a2", status: "failed" },
    ]);
    expect(readFileSync(`${out}/aggregated_results.jsonl`, "utf8")).toBe("");

    const resumed = await cvflow([...args, "--skip-failed"]);
    expect(resumed.code).toBe(1); // a3 failed
    expect(resumed.stdout).toMatch(/^processed 2 images .*: 1 done, 1 failed, 2 skipped\n/);
    expect(lines(`${out}/aggregated_results.jsonl`)).toEqual([{ image: "b", source: `${input}/b.png`, outputs: { width: 600 } }]);

    // a1 repaired: a plain rerun retries the three that failed, and a1 now succeeds.
    writeFileSync(`${input}/a1.jpg`, readFileSync(`${IN}/dog.jpg`));
    const retried = await cvflow(args);
    expect(retried.code).toBe(1);
    expect(retried.stdout).toMatch(/^processed 3 images .*: 1 done, 2 failed, 1 skipped\n/);
    expect(retried.stderr).toContain("3 to process; 1 finished by an earlier run are skipped (--force-reprocessing redoes them); 3 that failed before are retried (--skip-failed skips them)\n");
    expect(lines(`${out}/aggregated_results.jsonl`).map((row: { image: string }) => row.image)).toEqual(["a1", "b"]);
  });

  it("runs a saved workflow fetched once through the API", async () => {
    const api = await RecordedApi.start();
    try {
      await api.test.store.create(TEST_WORKSPACE, { url: "shelf", name: "Shelf", specification: BLUR_WORKFLOW });
      const input = `${dir}/one`;
      mkdirSync(input);
      writeFileSync(`${input}/dog.jpg`, readFileSync(`${IN}/dog.jpg`));
      const { code } = await cvflow(["process-images-directory", "-i", input, "-o", out, "--workflow", "acme/shelf", "--save-image-outputs"], { CVFLOW_URL: api.url, CVFLOW_API_KEY: TEST_KEYS.reader });
      expect(code).toBe(0);
      expect(api.received.map((r) => `${r.method} ${r.path} ${r.headers["authorization"]}`)).toEqual([`GET /acme/workflows/shelf Bearer ${TEST_KEYS.reader}`]);
      // The saved workflow blurs its image (output "blurred", a file) and answers a parameter (output "confidence", in the results).
      expect(files(out)).toEqual([".progress.jsonl", "aggregated_results.csv", "dog/blurred.jpg", "dog/results.json"]);
    } finally {
      await api.close();
    }
  });

  it.each([
    [["process-images-directory", "-o", "x", "--workflow", "w.json"], 2, "required option '-i, --input <dir>' not specified"],
    [["process-images-directory", "-i", "x", "-o", "y", "--workflow", "w.json", "--aggregation-format", "xml"], 2, "Allowed choices are csv, jsonl"],
    [["process-images-directory", "-i", "x", "-o", "y", "--workflow", "nope"], 2, '--workflow "nope" is neither a .json file nor workspace/workflow-id'],
    [["process-images-directory", "-i", `${ROOT}missing`, "-o", "y", "--workflow", "SPEC"], 1, "cvflow: input_not_found: "],
    [["process-images-directory", "-i", "IN", "-o", "y", "--workflow", "SPEC", "--image-input", "photo"], 1, 'cvflow: unknown_image_input: The workflow has no image input "photo" (its image inputs: image)'],
    [["process-images-directory", "-i", "IN", "-o", "y", "--workflow", "BROKEN"], 1, "cvflow: invalid_workflow: "],
  ])("refuses %j with exit %i before processing anything", async (args, exit, message) => {
    const broken = `${dir}/broken.json`;
    writeFileSync(broken, JSON.stringify({ ...GRAYSCALE_WORKFLOW, outputs: [{ type: "JsonField", name: "x", selector: "$steps.nope.image" }] }));
    const resolved = args.map((arg) => ({ SPEC, IN, BROKEN: broken, y: out })[arg] ?? arg);
    const { code, stderr } = await cvflow(resolved);
    expect(code).toBe(exit);
    expect(stderr).toContain(message);
    expect(existsSync(`${out}/.progress.jsonl`)).toBe(false);
  });
});

describe.skipIf(missing("process-images-directory with a detection model", { models: ["yolov8n-640"] }))("cvflow process-images-directory with a detection model", () => {
  it("detects on every good image and aggregates as JSON lines, annotated images left out", async () => {
    const workflow = `${ROOT}examples/detect-and-visualize.workflow.json`;
    const { code, stdout } = await cvflow(["process-images-directory", "-i", IN, "-o", out, "--workflow", workflow, "--aggregation-format", "jsonl", "--param", "model_id=yolov8n-640"]);
    expect(code).toBe(1); // corrupt.jpg
    expect(stdout).toMatch(/: 3 done, 1 failed, 0 skipped\n/);
    const rows = lines(`${out}/aggregated_results.jsonl`);
    expect(rows.map((row) => [row.image, Object.keys(row.outputs)])).toEqual([
      ["dog", ["predictions"]],
      ["mosaic", ["predictions"]],
      ["nested/coffee", ["predictions"]],
    ]);
    const classes = (row: { outputs: { predictions: { predictions: { class: string }[] } } }) => new Set(row.outputs.predictions.predictions.map((p) => p.class));
    expect([...classes(rows[0])]).toEqual(expect.arrayContaining(["dog", "bicycle"]));
    // The mosaic holds darknet's horses, dog and person photos.
    expect([...classes(rows[1])]).toEqual(expect.arrayContaining(["horse", "dog", "person"]));
    expect([...classes(rows[2])].sort()).toEqual(["cup", "dining table"]);
  });
});

describe("cvflow process-image", () => {
  it("prints one image's outputs, or writes them with -o; a corrupt image exits 1", async () => {
    const printed = await cvflow(["process-image", `${IN}/dog.jpg`, "--workflow", SPEC]);
    expect(printed).toEqual({ code: 0, stdout: expect.stringMatching(/^width  768\ngray   <image\/jpeg 768×576 [\d.]+ KiB>\n$/), stderr: "" });

    const written = await cvflow(["process-image", `${IN}/nested/coffee.png`, "--workflow", SPEC, "-o", out, "--save-image-outputs"]);
    expect(written).toEqual({ code: 0, stdout: `results: ${out}/coffee/results.json\n`, stderr: "" });
    expect(files(out)).toEqual(["coffee/gray.jpg", "coffee/results.json"]);

    const corrupt = await cvflow(["process-image", `${IN}/corrupt.jpg`, "--workflow", SPEC]);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/^cvflow: invalid_image: The JPEG header could not be read/);
  });
});
