import { expect, it } from "vitest";
import { decodePointer, lineOf, placeOfPointer } from "../src/editor/pointer-place.js";

const BARE = `{
  "version": "1.0",
  "inputs": [{ "type": "WorkflowImage", "name": "image" }],
  "steps": [
    {
      "type": "roboflow_core/continue_if@v1",
      "name": "a"
    },
    {
      "type": "nope",
      "name": "b"
    }
  ],
  "outputs": [{ "type": "JsonField", "name": "x", "selector": "$steps.zz.out" }]
}`;

it("finds the line of the value a pointer names, its key included, in a bare definition", () => {
  const place = placeOfPointer(BARE, "/specification/steps/1/type")!;
  expect(place.line).toBe(10);
  expect(place.exact).toBe(true);
  expect(BARE.slice(place.from, place.to)).toBe(`"type": "nope"`);
  expect(placeOfPointer(BARE, "/specification/outputs/0/selector")!.line).toBe(14);
});

it("keeps the /specification segment when the text itself is wrapped", () => {
  const wrapped = `{\n  "specification": ${BARE.replace(/\n/g, "\n  ")}\n}`;
  const place = placeOfPointer(wrapped, "/specification/steps/1/type")!;
  expect(place.line).toBe(11);
  expect(wrapped.slice(place.from, place.to)).toBe(`"type": "nope"`);
});

it("names the parent's first line for a missing property or an index past the end", () => {
  const missing = placeOfPointer(BARE, "/specification/steps/0/condition_statement")!;
  expect(missing).toMatchObject({ line: 5, exact: false });
  expect(BARE.slice(missing.from, missing.to)).toBe("{");
  const pastEnd = placeOfPointer(BARE, "/specification/steps/7/name")!;
  expect(pastEnd).toMatchObject({ line: 4, exact: false });
  expect(BARE.slice(pastEnd.from, pastEnd.to)).toBe(`"steps": [`);
});

it("reads an array index only as a decimal index and an object key \"0\" as a key", () => {
  const text = `{\n  "steps": [1],\n  "map": {\n    "0": true\n  }\n}`;
  expect(placeOfPointer(text, "/steps/0")).toMatchObject({ line: 2, exact: true });
  expect(placeOfPointer(text, "/steps/00")).toMatchObject({ line: 2, exact: false });
  expect(placeOfPointer(text, "/map/0")).toMatchObject({ line: 4, exact: true });
});

it("unescapes ~1 and ~0 in keys", () => {
  expect(decodePointer("/a~1b/c~0d/~01")).toEqual(["a/b", "c~d", "~1"]);
  const text = `{\n  "x": 1,\n  "a/b": { "c~d": 2 }\n}`;
  expect(placeOfPointer(text, "/a~1b/c~0d")).toMatchObject({ line: 3, exact: true });
});

it("places the root pointer and an absent pointer at the root; nothing for text without JSON", () => {
  expect(placeOfPointer(BARE, "")).toMatchObject({ from: 0, line: 1, exact: true });
  expect(placeOfPointer("", "/steps")).toBeUndefined();
});

it("still finds what comes before a syntax error", () => {
  const broken = `{\n  "version": "1.0",\n  "steps": [\n    { "type": "x", "name": 1 }\n  ],\n  "outputs": [ oops`;
  expect(placeOfPointer(broken, "/specification/steps/0/name")).toMatchObject({ line: 4, exact: true });
});

it("counts lines as 1-based, across \\r\\n too", () => {
  expect(lineOf("a\r\nb\nc", 0)).toBe(1);
  expect(lineOf("a\r\nb\nc", 3)).toBe(2);
  expect(lineOf("a\r\nb\nc", 5)).toBe(3);
});
