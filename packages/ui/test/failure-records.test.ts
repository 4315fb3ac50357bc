import { describe, expect, it } from "vitest";
import { parseFailures } from "../src/batch/failure-records.js";

const line = (image: string) => JSON.stringify({ image, source: `s3://b/${image}.jpg`, code: "invalid_image", message: "not an image" });

describe("a job's failures.jsonl as the page lists it", () => {
  it("shows the first records and counts them all, blank lines aside", () => {
    const text = `${["a", "b", "c"].map(line).join("\n")}\n\n`;
    expect(parseFailures(text, 2)).toEqual({
      shown: [
        { image: "a", source: "s3://b/a.jpg", code: "invalid_image", message: "not an image" },
        { image: "b", source: "s3://b/b.jpg", code: "invalid_image", message: "not an image" },
      ],
      total: 3,
    });
    expect(parseFailures("", 50)).toEqual({ shown: [], total: 0 });
  });
});
