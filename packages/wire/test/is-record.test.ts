import { expect, it } from "vitest";
import { isRecord } from "../src/index.js";

it("takes JSON objects, with or without a prototype", () => {
  expect([{}, { a: 1 }, Object.create(null)].map(isRecord)).toEqual([true, true, true]);
});

it("refuses null, arrays, bytes and every primitive", () => {
  expect([null, undefined, [], [1], Buffer.from("{}"), new Uint8Array(2), "{}", 1, true].map(isRecord)).toEqual(Array(9).fill(false));
});
