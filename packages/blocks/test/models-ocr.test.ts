import { beforeAll, describe, expect, it } from "vitest";
import { BlockRegistry, compileWorkflow, WorkflowCompileError, type BlockOutputs, type Detections } from "@cvflow/engine";
import { ocrModelV1Block, ppOcrV1Block } from "../src/models/ocr.js";
import { missing } from "@cvflow/vision/test-assets";
import { example, runModelBlock } from "./model-fixtures.js";

// examples/images/care-label.jpg reads "MACHINE WASH COLD", "DO NOT BLEACH", "IRON LOW HEAT", "DRY FLAT".
describe.skipIf(missing("OCR blocks", { models: ["ppocr-v4"] }))("OCR blocks", () => {
  let label: BlockOutputs | undefined;
  let ppOcr: BlockOutputs | undefined;
  beforeAll(async () => {
    const image = await example("care-label.jpg");
    [[label], [ppOcr]] = await Promise.all([
      runModelBlock(ocrModelV1Block, { images: [image] }),
      runModelBlock(ppOcrV1Block, { images: [image], text_recognition: "none" }),
    ]);
  });

  it("reads the care label, with Roboflow's OCR outputs", () => {
    expect(Object.keys(label!)).toEqual(["result", "predictions", "parent_id", "root_parent_id", "prediction_type"]);
    // PP-OCRv4's recogniser (a Chinese model) often drops the space between English words ("DONOT").
    const squeezed = (label!["result"] as string).replace(/\s+/g, "");
    for (const phrase of ["MACHINE WASH COLD", "DO NOT BLEACH", "IRON LOW HEAT", "DRY FLAT"]) expect(squeezed).toContain(phrase.replace(/\s+/g, ""));
    expect(label!["result"]).toContain("BLEACH");
    expect(label).toMatchObject({ parent_id: "image", root_parent_id: "image", prediction_type: "ocr" });
  });

  it("gives the text lines as detections of class line, each with its text", () => {
    const lines = label!["predictions"] as Detections;
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(new Set(lines.className)).toEqual(new Set(["line"]));
    expect((lines.data["text"] as string[]).some((t) => t.includes("BLEACH"))).toBe(true);
    expect((lines.data["text"] as string[]).join(" ")).toBe(label!["result"]);
    for (let i = 0; i < lines.length; i++) {
      const [x1, y1, x2, y2] = lines.box(i);
      expect(x2).toBeGreaterThan(x1);
      expect(y2).toBeGreaterThan(y1);
    }
  });

  it("PP-OCR without recognition gives the line boxes but no text", () => {
    const lines = ppOcr!["predictions"] as Detections;
    expect(ppOcr!["result"]).toBe("");
    expect(lines.length).toBe((label!["predictions"] as Detections).length);
    expect(new Set(lines.className)).toEqual(new Set([""]));
  });
});

describe("OCR block manifests", () => {
  it("PP-OCR refuses text_detection none when the definition compiles", () => {
    const definition = {
      version: "1.0",
      inputs: [{ type: "WorkflowImage", name: "image" }],
      steps: [{ type: "roboflow_core/pp_ocr@v1", name: "ocr", images: "$inputs.image", text_detection: "none" }],
      outputs: [{ type: "JsonField", name: "text", selector: "$steps.ocr.result" }],
    };
    let error: unknown;
    try {
      compileWorkflow(definition, new BlockRegistry([ppOcrV1Block]));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowCompileError);
    expect((error as WorkflowCompileError).issues[0]).toMatchObject({ code: "unsupported_option", property: "text_detection" });
  });

  it("OCR Model is known by its alias", () => {
    expect(ocrModelV1Block.manifest.aliases).toEqual(["OCRModel"]);
    expect(ppOcrV1Block.manifest.fields["text_recognition"]!.default).toBe("small");
  });
});
