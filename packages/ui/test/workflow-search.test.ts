import { expect, it } from "vitest";
import { matchesQuery } from "../src/workflows/workflow-search.js";

const DEMO = { name: "Detect, crop, classify", url: "detect-crop-classify" };

it("matches names and urls by every word of the query, in any case and order", () => {
  expect(matchesQuery(DEMO, "CROP")).toBe(true);
  expect(matchesQuery(DEMO, "classify detect")).toBe(true);
  expect(matchesQuery(DEMO, "crop-classify")).toBe(true);
  expect(matchesQuery(DEMO, "crop ocr")).toBe(false);
});

it("matches everything for an empty or blank query", () => {
  expect(matchesQuery(DEMO, "")).toBe(true);
  expect(matchesQuery(DEMO, "   ")).toBe(true);
});

it("does not match across the name and the url", () => {
  expect(matchesQuery({ name: "ab", url: "cd" }, "bc")).toBe(false);
});
