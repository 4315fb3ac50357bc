import { expect, it } from "vitest";
import { urlFromName } from "../src/index.js";

it("lowercases, turns every other run of characters into one dash and trims the dashes", () => {
  expect(urlFromName("My Workflow!")).toBe("my-workflow");
  expect(urlFromName("  Detect -> crop -> classify  ")).toBe("detect-crop-classify");
  expect(urlFromName("YOLOv8n v2.1")).toBe("yolov8n-v2-1");
});

it("drops accents (NFKD) rather than the letters they sit on", () => {
  expect(urlFromName("Café Étagère")).toBe("cafe-etagere");
});

it("keeps at most 64 characters and never ends on a dash cut in the middle", () => {
  const url = urlFromName(`${"a".repeat(63)} b`);
  expect(url).toBe("a".repeat(63));
  expect(urlFromName("x".repeat(100))).toHaveLength(64);
});

it("is empty when the name has no letter or digit", () => {
  expect(urlFromName("!!! ---")).toBe("");
  expect(urlFromName("")).toBe("");
});
