import { describe, expect, it } from "vitest";
import { jsonParserBlock } from "../src/formatters/json_parser.js";
import { runBlock } from "./detections-fixture.js";

async function parse(raw_json: string, expected_fields: string[]): Promise<Record<string, unknown>> {
  return runBlock(jsonParserBlock, { raw_json, expected_fields });
}

describe("JsonParser", () => {
  it("declares error_status, plus one output per expected field of the step", () => {
    expect(jsonParserBlock.manifest.outputs).toEqual([{ name: "error_status", kinds: ["boolean"] }]);
    expect(jsonParserBlock.manifest.dynamicOutputs!({ expected_fields: ["model_id", "confidence"] })).toEqual([
      { name: "model_id", kinds: ["*"] },
      { name: "confidence", kinds: ["*"] },
    ]);
    expect(jsonParserBlock.manifest.dynamicOutputs!({})).toEqual([]);
  });

  it("extracts the expected fields of a raw JSON object", async () => {
    expect(await parse('{"model_id": "yolov8n-640", "confidence": 0.4, "extra": true}', ["model_id", "confidence"])).toEqual({
      model_id: "yolov8n-640",
      confidence: 0.4,
      error_status: false,
    });
  });

  it("reads only the first ```json fence, whatever its letter case", async () => {
    const text = 'Sure!\n```JSON\n{"answer": [1, 2]}\n```\nand also ```json {"answer": 3}```';
    expect(await parse(text, ["answer"])).toEqual({ answer: [1, 2], error_status: false });
  });

  it("sets error_status and null for a field the object lacks", async () => {
    expect(await parse('{"a": null}', ["a", "b"])).toEqual({ a: null, b: null, error_status: true });
  });

  it("sets error_status and nulls for text that is not JSON", async () => {
    expect(await parse("not json", ["a"])).toEqual({ a: null, error_status: true });
    expect(await parse("not json", [])).toEqual({ error_status: true });
  });

  it("finds no fields in JSON that is not an object", async () => {
    expect(await parse('["a"]', ["a"])).toEqual({ a: null, error_status: true });
    expect(await parse("[1, 2]", [])).toEqual({ error_status: false });
  });

  it("reserves error_status", () => {
    expect(jsonParserBlock.validate!({ expected_fields: ["a", "error_status"] })[0]!.property).toBe("expected_fields");
    expect(jsonParserBlock.validate!({ expected_fields: ["a"] })).toEqual([]);
  });
});
