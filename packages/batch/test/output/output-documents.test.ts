/** resultDocument, imageOutputFiles, jsonlRows and the failure records: exact documents and lines. */
import { WorkflowError } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { failureRecord, failuresJsonl, imageOutputFiles, jsonlRows, resultDocument } from "../../src/output/index.js";

const jpeg = (text: string) => ({ type: "base64", value: Buffer.from(text).toString("base64"), video_metadata: null });

/** One serialized output object with images at every depth. */
const OUTPUTS = {
  count: 2,
  annotated: jpeg("annotated"),
  crops: [jpeg("crop 0"), jpeg("crop 1")],
  nested: [[jpeg("n00")], [], [jpeg("n20"), jpeg("n21")]],
  mixed: [jpeg("mixed 0"), null],
  step: { image: jpeg("step image"), n: 1 },
  empty: [],
  skipped: null,
};

describe("imageOutputFiles", () => {
  it("names each image by its output, then its indices and keys", () => {
    const files = imageOutputFiles(OUTPUTS).map(({ path, bytes }) => [path, Buffer.from(bytes).toString()]);
    expect(files).toEqual([
      ["annotated.jpg", "annotated"],
      ["crops/0.jpg", "crop 0"],
      ["crops/1.jpg", "crop 1"],
      ["nested/0/0.jpg", "n00"],
      ["nested/2/0.jpg", "n20"],
      ["nested/2/1.jpg", "n21"],
      ["mixed/0.jpg", "mixed 0"],
      ["step/image.jpg", "step image"],
    ]);
  });

  it("finds nothing in outputs without images", () => {
    expect(imageOutputFiles({ count: 1, list: [1, 2], text: "base64" })).toEqual([]);
  });
});

describe("resultDocument", () => {
  it("replaces saved images by their files", () => {
    const file = (value: string) => ({ type: "file", value });
    expect(resultDocument("shelf-1/left", "s3://b/in/shelf-1/left.jpg", OUTPUTS, true)).toEqual({
      image: "shelf-1/left",
      source: "s3://b/in/shelf-1/left.jpg",
      outputs: {
        count: 2,
        annotated: file("annotated.jpg"),
        crops: [file("crops/0.jpg"), file("crops/1.jpg")],
        nested: [[file("nested/0/0.jpg")], [], [file("nested/2/0.jpg"), file("nested/2/1.jpg")]],
        mixed: [file("mixed/0.jpg"), null],
        step: { image: file("step/image.jpg"), n: 1 },
        empty: [],
        skipped: null,
      },
    });
  });

  it("leaves out images not saved: outputs of images only disappear, an image among other elements becomes null", () => {
    expect(JSON.stringify(resultDocument("a", "/in/a.jpg", OUTPUTS, false))).toBe(
      '{"image":"a","source":"/in/a.jpg","outputs":{"count":2,"mixed":[null,null],"step":{"n":1},"empty":[],"skipped":null}}',
    );
  });
});

describe("jsonlRows", () => {
  it("writes one document per line", () => {
    const documents = [resultDocument("a", "/in/a.jpg", { n: 1 }, false), resultDocument("b/c", "/in/b/c.png", { n: "x\ny" }, false)];
    expect(jsonlRows(documents)).toBe('{"image":"a","source":"/in/a.jpg","outputs":{"n":1}}\n{"image":"b/c","source":"/in/b/c.png","outputs":{"n":"x\\ny"}}\n');
    expect(jsonlRows([])).toBe("");
  });
});

describe("failure records", () => {
  it("keeps a WorkflowError's code, names others internal_error, and writes one record per line", () => {
    const corrupt = failureRecord("bad", "/in/bad.jpg", new WorkflowError("invalid_image", "The JPEG data could not be decoded"));
    const bug = failureRecord("x", "/in/x.png", new TypeError("boom"));
    const thrown = failureRecord("y", "/in/y.png", "a string");
    expect([corrupt, bug, thrown]).toEqual([
      { image: "bad", source: "/in/bad.jpg", code: "invalid_image", message: "The JPEG data could not be decoded" },
      { image: "x", source: "/in/x.png", code: "internal_error", message: "boom" },
      { image: "y", source: "/in/y.png", code: "internal_error", message: "a string" },
    ]);
    expect(failuresJsonl([corrupt, bug])).toBe(
      '{"image":"bad","source":"/in/bad.jpg","code":"invalid_image","message":"The JPEG data could not be decoded"}\n' +
        '{"image":"x","source":"/in/x.png","code":"internal_error","message":"boom"}\n',
    );
  });
});
