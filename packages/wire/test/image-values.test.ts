import { expect, it } from "vitest";
import { findImageValues, isImageValue } from "../src/index.js";

it("finds image values of one type at any depth, with their paths, and not inside an image value", () => {
  const inner = { type: "base64", value: "AAAA" };
  const outputs = [
    { count: 1, image: { type: "base64", value: "QUJD", video_metadata: { frame: 0 } } },
    { crops: [inner, { type: "url", value: "https://x/y.jpg" }], "a/b": { nested: { type: "base64", value: "RA==", parent: inner } } },
  ];
  const found = findImageValues(outputs, "base64");
  expect(found.map((f) => [f.path.join("|"), f.value])).toEqual([
    ["0|image", "QUJD"],
    ["1|crops|0", "AAAA"],
    ["1|a/b|nested", "RA=="],
  ]);
  expect(found[1]!.holder).toBe(inner);
  expect(findImageValues(outputs, "url").map((f) => f.path)).toEqual([["1", "crops", "1"]]);
});

it("takes only string values", () => {
  expect(findImageValues({ a: { type: "base64", value: 3 }, b: null, c: "base64" }, "base64")).toEqual([]);
});

it("tells an image value of a type by its string value", () => {
  expect(isImageValue({ type: "file", value: "a.jpg" }, "file")).toBe(true);
  expect([isImageValue({ type: "file", value: "a.jpg" }, "base64"), isImageValue({ type: "url", value: 1 }, "url"), isImageValue(["url", "x"], "url"), isImageValue(null, "url")]).toEqual([false, false, false, false]);
});
