import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { DECISION, Detections, Secret, SKIP } from "@cvflow/engine";
import { inputLineage, openImage, WorkflowImage } from "@cvflow/vision";
import { decodeStepOutput, encodeStepOutput, StepValueNotEncodable } from "../src/step-values.js";

/** Encodes, goes through JSON text (as a checkpoint does), decodes. */
async function roundTrip(value: unknown): Promise<{ decoded: unknown; parts: Uint8Array[] }> {
  const { json, parts } = await encodeStepOutput(value);
  const decoded = await decodeStepOutput(JSON.parse(JSON.stringify(json)), parts.map((part) => Buffer.from(part)));
  return { decoded, parts };
}

async function jpeg(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}

describe("step values", () => {
  it("keeps nested levels, SKIP, decisions, JSON values and the numbers and values JSON has no form for", async () => {
    const decision = { [DECISION]: new Set(["b", "c"]) };
    const output = [
      [{ a: 1, nested: { list: [1, "x", null, true] } }, SKIP],
      SKIP,
      [decision, { [DECISION]: new Set<string>() }],
      [{ odd: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0], missing: undefined, big: 2n ** 70n }],
      [{ tagged: { $t: "skip", also: { $t: "object" } }, when: new Date(Date.UTC(2026, 0, 2)), set: new Set([1, "a"]), map: new Map<unknown, unknown>([["k", [1, 2]], [3, null]]) }],
      [{ bytes: Buffer.from("hello"), floats: Float32Array.of(1.5, Number.NaN), ints: Int16Array.of(-3, 7), wide: BigInt64Array.of(-(2n ** 60n)) }],
    ];
    const { decoded } = await roundTrip(output);
    expect(decoded).toEqual(output);
    const d = decoded as Record<string, unknown>[][];
    expect((d[2]![0] as typeof decision)[DECISION]).toEqual(new Set(["b", "c"]));
    expect(Object.keys(d[2]![0]!)).toEqual([]);
    expect(Object.is((d[3]![0] as { odd: number[] }).odd[3], -0)).toBe(true);
    expect(Object.is((d[3]![0] as { odd: number[] }).odd[4], 0)).toBe(true);
    expect("missing" in d[3]![0]!).toBe(true);
    expect(Buffer.isBuffer(d[5]![0]!["bytes"])).toBe(true);
    expect(d[5]![0]!["floats"]).toBeInstanceOf(Float32Array);
  });

  it("keeps every column of Detections: boxes, classes, ids, parents, masks, keypoints and data columns", async () => {
    const detections = new Detections({
      image: { width: 640, height: 480 },
      xyxy: [1.25, 2, 30.5, 40, 100, 110, 0.1 + 0.2, 300],
      confidence: [0.9123456789, Number.NaN],
      classId: [0, -7],
      className: ["bus", "$t"],
      detectionId: ["d1", "d2"],
      parentId: ["image", null],
      masks: [{ width: 640, height: 480, left: 1, top: 2, columns: 3, rows: 2, data: Uint8Array.of(0, 1, 1, 0, 1, 0) }, null],
      keypoints: [[{ x: 1, y: 2, confidence: 0.5, classId: 0, className: "nose" }], null],
      data: { $t: ["a", "b"], parent_coordinates: [[0, 0], [5, -0]], nothing: [undefined, null], when: [new Date(0), Number.NaN] },
    });
    const { decoded } = await roundTrip([{ predictions: detections, again: detections }]);
    const [record] = decoded as [{ predictions: Detections; again: Detections }];
    expect(record.predictions).toBeInstanceOf(Detections);
    expect(record.predictions).toEqual(detections);
    expect(record.again).toBe(record.predictions);
    expect(Object.is((record.predictions.data["parent_coordinates"]![1] as number[])[1], -0)).toBe(true);
    expect(record.predictions.masks![0]!.data).toEqual(Uint8Array.of(0, 1, 1, 0, 1, 0));
    // Without masks and keypoints they stay absent.
    const plain = Detections.empty({ width: 2, height: 3 });
    const { decoded: empty } = await roundTrip(plain);
    expect(empty).toEqual(plain);
    expect((empty as Detections).masks).toBeUndefined();
  });

  it("keeps an image's encoded bytes as they came, a crop's pixels and lineage, and an oriented image's pixels", async () => {
    const bytes = await jpeg(64, 48);
    const input = await openImage(bytes, inputLineage("image.[0]"));
    const loaded = await openImage(bytes, inputLineage("image.[1]"));
    await loaded.load();
    const crop = loaded.crop(10, 5, 30, 25, "crop-1");
    const gray = crop.withPixels({ data: new Uint8Array(20 * 20).fill(9), width: 20, height: 20, channels: 1 });
    const rotated = await openImage(await sharp(bytes).withMetadata({ orientation: 6 }).jpeg().toBuffer(), inputLineage("image.[2]"));
    // Not decoded yet, and without bytes that are its pixels: the encoder decodes it first.
    expect(rotated.isDecoded).toBe(false);
    const { decoded, parts } = await roundTrip([{ image: input, loaded, crop, gray, rotated }, { same: input }]);
    const [record, second] = decoded as [Record<string, WorkflowImage>, { same: WorkflowImage }];
    // Parts: the two sources as they came, the crop's, the gray image's and the rotated image's pixels.
    expect(parts.map((p) => p.length)).toEqual([bytes.length, bytes.length, 20 * 20 * 3, 20 * 20, 48 * 64 * 3]);
    expect(second.same).toBe(record["image"]);
    for (const [name, original] of Object.entries({ image: input, loaded, crop, gray, rotated })) {
      const restored = record[name]!;
      expect(restored, name).toBeInstanceOf(WorkflowImage);
      expect([restored.width, restored.height, restored.channels], name).toEqual([original.width, original.height, original.channels]);
      expect(restored.lineage, name).toEqual(original.lineage);
      expect(restored.source ? Buffer.compare(restored.source, original.source!) : original.source, name).toEqual(original.source ? 0 : undefined);
      expect(Buffer.compare(Buffer.from((await restored.load()).data), Buffer.from((await original.load()).data)), name).toBe(0);
    }
    expect(record["crop"]!.lineage.parentOrigin).toEqual({ offset_x: 10, offset_y: 5, width: 64, height: 48 });
    expect(record["rotated"]!.width).toBe(48);
  });

  it("re-encodes what it decoded to the same document and parts", async () => {
    const image = await openImage(await jpeg(32, 32), inputLineage("image"));
    await image.load();
    const output = [[{ crops: image.crop(0, 0, 8, 8, "c"), predictions: Detections.empty({ width: 32, height: 32 }) }, SKIP]];
    const first = await encodeStepOutput(output);
    const again = await encodeStepOutput(await decodeStepOutput(first.json, first.parts));
    expect(again.json).toEqual(first.json);
    expect(again.parts.map((p) => Buffer.from(p).toString("base64"))).toEqual(first.parts.map((p) => Buffer.from(p).toString("base64")));
  });

  it("keeps a secret as its variable's name, never its value, and reads the variable again on restore", async () => {
    const name = "WORKFLOW_SECRET_STEP_VALUES_TEST";
    const { json, parts } = await encodeStepOutput([{ key: new Secret(name, "sk-first-value") }]);
    const text = JSON.stringify(json);
    expect(text).toBe(`[{"key":{"$t":"secret","name":"${name}"}}]`);
    expect(parts.some((p) => Buffer.from(p).toString("latin1").includes("sk-first"))).toBe(false);
    process.env[name] = "sk-rotated-value";
    try {
      const [restored] = (await decodeStepOutput(JSON.parse(text), parts)) as { key: Secret }[];
      expect(restored!.key).toBeInstanceOf(Secret);
      expect(restored!.key.name).toBe(name);
      expect(restored!.key.reveal()).toBe("sk-rotated-value");
    } finally {
      delete process.env[name];
    }
    // Unset by the time it is restored: null, as the store block gives an unset variable.
    expect(await decodeStepOutput(JSON.parse(text), parts)).toEqual([{ key: null }]);
  });

  it("refuses what it cannot keep, naming where it is", async () => {
    class Opaque {}
    const cases: [unknown, string][] = [
      [[{ a: { b: new Opaque() } }], "an instance of Opaque at [0].a.b"],
      [{ f: () => 1 }, "a function at .f"],
      [[Symbol("x")], "the symbol x at [0]"],
      [{ v: new DataView(new ArrayBuffer(2)) }, "a DataView at .v"],
    ];
    for (const [value, where] of cases) {
      const error = await encodeStepOutput(value).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StepValueNotEncodable);
      expect((error as Error).message).toBe(`The step's output holds ${where}, which a checkpoint cannot keep`);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic["self"] = cyclic;
    expect(((await encodeStepOutput([cyclic]).catch((e: unknown) => e)) as Error).message).toContain("a value that contains itself at [0].self");
  });
});
