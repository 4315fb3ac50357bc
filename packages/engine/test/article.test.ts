import { describe, expect, it } from "vitest";
import { withArticle } from "../src/index.js";

describe("withArticle", () => {
  it("picks a or an by how the word is said", () => {
    const words = ["instance-segmentation", "object-detection", "ocr", "unspecified", "s3", "face-detection", "classification", "loopback", "link-local", "url", "URL", "unique", "one-off", "number"];
    expect(words.map(withArticle)).toEqual([
      "an instance-segmentation", "an object-detection", "an ocr", "an unspecified", "an s3",
      "a face-detection", "a classification", "a loopback", "a link-local", "a url", "a URL", "a unique", "a one-off", "a number",
    ]);
  });
});
