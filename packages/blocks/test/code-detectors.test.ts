/**
 * Barcode Detection (ZXing-C++) and QR Code Detection (OpenCV) on a shared photo with codes pasted
 * at known places (code-fixtures.ts): what each reads, where, and the detections' shape on the wire,
 * as Roboflow's unit tests check it (class, class_id 0, confidence 1, the text in `data`).
 */
import { describe, expect, it } from "vitest";
import { BlockRegistry, WorkflowEngine, type Block, type Detections } from "@cvflow/engine";
import { missing } from "@cvflow/vision/test-assets";
import { barcodeDetectorBlock } from "../src/models/third_party/barcode_detector.js";
import { qrCodeDetectorBlock } from "../src/models/third_party/qr_code_detector.js";
import { codesOnPhoto, type CodeSpec } from "./code-fixtures.js";
import { boxes, runBlock } from "./detections-fixture.js";

const URL_TEXT = "https://github.com/roboflow/inference";
const SPECS: CodeSpec[] = [
  // Two of the values Roboflow's barcode test reads from its own picture.
  { text: "47205255193", format: "Code128", at: [20, 20], scale: 2 },
  { text: "4006381333931", format: "EAN13", at: [420, 30], scale: 2 },
  { text: URL_TEXT, format: "QRCode", at: [520, 700], scale: 5 },
  { text: "21974251554", format: "Code128", at: [20, 940], scale: 2, rotate: 180 },
];

const byText = (d: Detections): Map<string, [number, number, number, number]> => new Map(boxes(d).map((box, i) => [d.data["data"]![i] as string, box as [number, number, number, number]]));

describe.skipIf(missing("the code detectors", { photos: ["bus.jpg"] }))("code detectors on a photo", () => {
  it("Barcode Detection reads every code, QR included (zxingcpp reads every format), each at the place it was pasted", async () => {
    const { image, codes } = await codesOnPhoto("bus.jpg", SPECS);
    const predictions = (await runBlock(barcodeDetectorBlock, { images: image }))["predictions"] as Detections;
    expect(predictions.length).toBe(4);
    expect([...predictions.className]).toEqual(["barcode", "barcode", "barcode", "barcode"]);
    expect([...predictions.classId]).toEqual([0, 0, 0, 0]);
    expect([...predictions.confidence]).toEqual([1, 1, 1, 1]);
    expect(predictions.data["prediction_type"]).toEqual(new Array(4).fill("barcode-detection"));
    expect(predictions.parentId).toEqual(new Array(4).fill("image"));
    const read = byText(predictions);
    expect([...read.keys()].sort()).toEqual(codes.map((c) => c.text).sort());
    // ZXing gives a QR code's outer module edges, and a linear code's first and last bar pixels
    // (inclusive) over the rows it scanned (EAN's guard bars reach lower than its other bars).
    expect(read.get(URL_TEXT)).toEqual(codes.find((c) => c.text === URL_TEXT)!.box);
    for (const { text, box } of codes.filter((c) => c.text !== URL_TEXT)) {
      const [x1, y1, x2, y2] = read.get(text)!;
      expect([x1, y1, x2], text).toEqual([box[0], box[1], box[2] - 1]);
      expect(y2).toBeLessThan(box[3]);
      expect(y2 - y1).toBeGreaterThanOrEqual(0.9 * (box[3] - box[1]));
    }
    // Upside down, the reader's "top-left" corner is the lower right: the box is still x1 < x2.
    const upsideDown = read.get("21974251554")!;
    expect(upsideDown[0]).toBeLessThan(upsideDown[2]);
  });

  it("QR Code Detection reads the QR code only, its box within 2 px (under half a module) of the pasted modules and 0.5 px of python3-opencv's", async () => {
    const { image, codes } = await codesOnPhoto("bus.jpg", SPECS);
    const predictions = (await runBlock(qrCodeDetectorBlock, { images: image }))["predictions"] as Detections;
    expect(predictions.length).toBe(1);
    expect(predictions.className).toEqual(["qr_code"]);
    expect(predictions.data["data"]).toEqual([URL_TEXT]);
    expect(predictions.data["prediction_type"]).toEqual(["qrcode-detection"]);
    const pasted = codes.find((c) => c.text === URL_TEXT)!.box;
    boxes(predictions)[0]!.forEach((v, i) => expect(Math.abs(v - pasted[i]!), `coordinate ${i}`).toBeLessThanOrEqual(2));
    // python3-opencv 4.6 (Debian's; built without quirc, so it finds but does not decode), on this
    // composite saved as PNG: cv2.QRCodeDetector().detectAndDecodeMulti(cv2.imread(png)) gave the
    // corners (540, 721) and (683, 864). OpenCV 4.12 here refines them to within half a pixel.
    boxes(predictions)[0]!.forEach((v, i) => expect(Math.abs(v - [540, 721, 683, 864][i]!), `coordinate ${i}`).toBeLessThanOrEqual(0.5));
  });

  it("a photo without codes gives empty detections", async () => {
    const { image } = await codesOnPhoto("bus.jpg", []);
    expect(((await runBlock(barcodeDetectorBlock, { images: image }))["predictions"] as Detections).length).toBe(0);
    expect(((await runBlock(qrCodeDetectorBlock, { images: image }))["predictions"] as Detections).length).toBe(0);
  });

  it("run in a workflow under their aliases, the wire carries the text in `data` and no prediction_type", async () => {
    const engine = new WorkflowEngine({ registry: new BlockRegistry([barcodeDetectorBlock, qrCodeDetectorBlock] as Block[]) });
    const { image } = await codesOnPhoto("bus.jpg", SPECS.slice(2, 3));
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [
        { type: "BarcodeDetection", name: "barcodes", image: "$inputs.image" },
        { type: "QRCodeDetector", name: "qr", images: "$inputs.image" },
      ],
      outputs: [
        { type: "JsonField", name: "barcodes", selector: "$steps.barcodes.predictions" },
        { type: "JsonField", name: "qr", selector: "$steps.qr.predictions" },
      ],
    };
    const [out] = (await engine.run(definition, { image })).outputs as Record<string, { image: unknown; predictions: Record<string, unknown>[] }>[];
    for (const [name, className] of [["barcodes", "barcode"], ["qr", "qr_code"]] as const) {
      expect(out![name]!.image).toEqual({ width: 810, height: 1080 });
      expect(out![name]!.predictions).toEqual([
        expect.objectContaining({ class: className, class_id: 0, confidence: 1, data: URL_TEXT, parent_id: "image" }),
      ]);
      expect(out![name]!.predictions[0]).not.toHaveProperty("prediction_type");
    }
  });
});
