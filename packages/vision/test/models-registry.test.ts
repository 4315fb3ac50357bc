/** The model registry (ids, aliases, class names, errors) and the session pool (reuse, shared creation, LRU). */
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WorkflowError } from "@cvflow/engine";
import { Tensor } from "onnxruntime-node";
import { describe, expect, test } from "vitest";
import { CATALOGUE_MODELS } from "../src/models/catalogue.js";
import { ModelRegistry } from "../src/models/registry.js";
import { SessionPool } from "../src/models/sessions.js";
import { createVisionModels } from "../src/models/vision-models.js";
import { missing, MODELS_DIR } from "./test-assets.js";

const REQUIRED_IDS = ["yolov8n-640", "yolov8n-seg-640", "yolov8n-seg-320", "yolox-nano-416", "mobilenetv2-imagenet", "ppocr-v4", "ultraface-320"];

describe("registry without model files", () => {
  const registry = new ModelRegistry("/nowhere", CATALOGUE_MODELS.map(({ labels: _labels, ...spec }) => ({ ...spec, classes: [] })));

  test("an unknown id is a 400 unknown_model that lists the available ids", () => {
    let error: unknown;
    try {
      registry.spec("yolov9-nope");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WorkflowError);
    expect(error).toMatchObject({ code: "unknown_model", status: 400 });
    for (const id of REQUIRED_IDS) expect((error as Error).message).toContain(id);
  });

  test("aliases resolve; the -640 seg id is the 320 model", () => {
    expect(registry.spec("dog-breed-xpaq6/1").id).toBe("mobilenetv2-imagenet");
    expect(registry.spec("coco/3").id).toBe("yolov8n-640");
    expect(registry.spec("yolov8n-seg-640").files).toEqual(registry.spec("yolov8n-seg-320").files);
    expect(registry.spec("yolov8n-seg-640").input).toEqual({ width: 320, height: 320 });
    expect(registry.list().map((spec) => spec.id)).toEqual(expect.arrayContaining(REQUIRED_IDS));
  });

  test("sessions' threads do not spin-wait unless asked to; the thread count is passed on", () => {
    expect(new SessionPool().sessionOptions).toMatchObject({ extra: { session: { intra_op: { allow_spinning: "0" } } } });
    expect(new SessionPool({ spinning: true, intraOpNumThreads: 2 }).sessionOptions).toEqual({ intraOpNumThreads: 2 });
  });

  test("a folder without registry.json: 503 model_not_installed, saying to run npm run models and naming no path", async () => {
    const dir = join(tmpdir(), "cvflow-no-models-here");
    const models = createVisionModels({ modelsDir: dir });
    expect(() => models.spec("yolov8n-640")).toThrow(/npm run models/);
    const error = (await models.detect("yolov8n-640", []).then(
      () => undefined,
      (e: unknown) => e,
    )) as WorkflowError;
    expect(error).toMatchObject({ code: "model_not_installed", status: 503, details: {} });
    expect(error.message).not.toContain(tmpdir());
  });

  test("a catalogued model this installation lacks is a 503 model_not_installed; an id nobody knows stays a 400", () => {
    const onlyOcr = new ModelRegistry("/srv/models", CATALOGUE_MODELS.filter((model) => model.id === "ppocr-v4").map(({ labels: _labels, ...spec }) => ({ ...spec, classes: [] })));
    for (const id of ["yolov8n-640", "coco/3"]) {
      expect(() => onlyOcr.spec(id)).toThrow(expect.objectContaining({ code: "model_not_installed", status: 503, details: { model_id: id, available: ["ppocr-v4"] } }));
    }
    expect(() => onlyOcr.spec("yolov8n-640")).toThrow(/^Model "yolov8n-640" is not installed on this server: .*npm run models/);
    expect(() => onlyOcr.spec("yolov9-nope")).toThrow(expect.objectContaining({ code: "unknown_model", status: 400 }));
  });

  test("a missing model file is a 503 model_not_installed that names the file, not its path", async () => {
    const pool = new SessionPool();
    const path = join(tmpdir(), "cvflow-no-models-here", "absent.onnx");
    const error = (await pool.lease(path).then(
      () => undefined,
      (e: unknown) => e,
    )) as WorkflowError;
    expect(error).toMatchObject({ code: "model_not_installed", status: 503, details: { file: "absent.onnx" } });
    expect(error.message).toMatch(/^Model file absent\.onnx is missing from the models folder: .*npm run models/);
    expect(error.message).not.toContain(tmpdir());
    await expect(pool.preload(path)).rejects.toMatchObject({ code: "model_not_installed" });
    expect(pool.size).toBe(0);
  });
});

const registryMissing = missing("models/registry.json", { models: ["yolov8n-640", "yolox-nano-416", "mobilenetv2-imagenet", "ultraface-320", "ppocr-v4"] });
describe.skipIf(registryMissing)("models/registry.json", () => {
  test("class names come from the ONNX metadata or the label files", () => {
    const registry = ModelRegistry.load(MODELS_DIR);
    const coco = registry.spec("yolov8n-640").classes;
    expect(coco).toHaveLength(80);
    expect([coco[0], coco[5], coco[27], coco[62]]).toEqual(["person", "bus", "tie", "tv"]);
    expect(registry.spec("yolox-nano-416").classes).toEqual(coco);
    const imagenet = registry.spec("mobilenetv2-imagenet").classes;
    expect([imagenet.length, imagenet[249], imagenet[285]]).toEqual([1000, "Alaskan Malamute", "Egyptian Mau"]);
    expect(registry.spec("ultraface-320").classes).toEqual(["face"]);
    expect(registry.spec("ppocr-v4").files).toEqual({
      det: "ch_PP-OCRv4_det_infer.onnx",
      cls: "ch_ppocr_mobile_v2.0_cls_infer.onnx",
      rec: "ch_PP-OCRv4_rec_infer.onnx",
      keys: "ppocr_keys_v1.txt",
    });
  });
});

const FILES = ["ultraface_rfb320.onnx", "mobilenetv2-12-int8.onnx", "yolox_nano.onnx"];
const sessionsMissing = missing("session pool", { models: ["ultraface-320", "mobilenetv2-imagenet", "yolox-nano-416"] });
describe.skipIf(sessionsMissing)("session pool", () => {
  const [a, b, c] = FILES.map((file) => join(MODELS_DIR, file)) as [string, string, string];

  test("a session is created once, shared by concurrent first requests, and reused", async () => {
    const pool = new SessionPool({ maxSessions: 2, intraOpNumThreads: 1 });
    const leases = await Promise.all([pool.lease(a), pool.lease(a), pool.lease(a)]);
    expect(pool.stats.created).toBe(1);
    expect(leases[1]!.session).toBe(leases[0]!.session);
    expect(leases[2]!.session).toBe(leases[0]!.session);
    leases.forEach((lease) => lease.release());
    const again = await pool.use(a, async (session) => session);
    expect(again).toBe(leases[0]!.session);
    expect(pool.stats.created).toBe(1);
  });

  test("the least recently used session is evicted, and released once no run holds it", async () => {
    const pool = new SessionPool({ maxSessions: 2 });
    const first = await pool.lease(a);
    await pool.use(b, async () => {});
    await pool.use(a, async () => {}); // a is now the most recent; b goes next
    await pool.use(c, async () => {}); // evicts b, idle: released at once
    expect(pool.size).toBe(2);
    expect(pool.stats).toEqual({ created: 3, released: 1 });
    const secondB = await pool.use(b, async (session) => session); // evicts a, which `first` still holds
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.stats).toEqual({ created: 4, released: 1 });
    expect(secondB).toBeDefined();
    const outputs = await first.session.run({ input: new Tensor("float32", new Float32Array(3 * 240 * 320), [1, 3, 240, 320]) });
    expect(Object.keys(outputs)).toEqual(["scores", "boxes"]);
    first.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.stats).toEqual({ created: 4, released: 2 });
    const newA = await pool.use(a, async (session) => session);
    expect(newA).not.toBe(first.session);
  });

  test("preload creates and warms a session ahead of use; leases then find it", async () => {
    const pool = new SessionPool({ maxSessions: 2, intraOpNumThreads: 1 });
    await Promise.all([pool.preload(a), pool.preload(a)]);
    expect(pool.stats.created).toBe(1);
    await pool.use(a, async () => {});
    await pool.preload(a);
    expect(pool.stats.created).toBe(1);
    await expect(pool.preload(join(MODELS_DIR, "absent.onnx"))).rejects.toMatchObject({ code: "model_not_installed" });
    expect(pool.size).toBe(1);
  });
});
