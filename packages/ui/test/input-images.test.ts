import { describe, expect, it } from "vitest";
import { inputImageUrls } from "../src/runs/input-images.js";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1]).toString("base64");
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1, 0, 1]).toString("base64");

describe("a run's inputs → the URLs its images show by", () => {
  it("base64 images as data URLs of their own type, URL images (presigned uploads) as given, parameters left out", () => {
    expect(
      inputImageUrls({
        image: { type: "base64", value: PNG },
        photo: { type: "base64", value: JPEG },
        already: { type: "base64", value: `data:image/webp;base64,${JPEG}` },
        upload: { type: "url", value: "http://127.0.0.1:4568/bucket/uploads/demo/x?X-Amz-Signature=1" },
        batch: [{ type: "base64", value: PNG }, { type: "base64", value: JPEG }],
        confidence: 0.4,
        other: { type: "s3", value: "s3://elsewhere/x.jpg" },
      }),
    ).toEqual({
      image: `data:image/png;base64,${PNG}`,
      photo: `data:image/jpeg;base64,${JPEG}`,
      already: `data:image/webp;base64,${JPEG}`,
      upload: "http://127.0.0.1:4568/bucket/uploads/demo/x?X-Amz-Signature=1",
      batch: `data:image/png;base64,${PNG}`,
    });
  });
});
