import { expect, it } from "vitest";
import { definitionText, minimalChange, parseDefinition } from "../src/editor/definition-text.js";

it("shows a definition as two-space JSON and reads it back", () => {
  const definition = { version: "1.0", steps: [{ type: "x", name: "a" }], outputs: [] };
  const text = definitionText(definition);
  expect(text.split("\n")[1]).toBe(`  "version": "1.0",`);
  expect(parseDefinition(text)).toEqual({ ok: true, definition });
});

it("says why a text is no definition: not JSON, or JSON but no object", () => {
  const broken = parseDefinition(`{"version": `);
  expect(broken.ok).toBe(false);
  expect(!broken.ok && broken.message).toMatch(/^Not JSON: /);
  expect(parseDefinition("[1]")).toEqual({ ok: false, message: "A definition is a JSON object" });
});

it("names the offset where a text stops being strict JSON: a missing colon, a trailing comma, a comment", () => {
  const offsetOf = (text: string) => {
    const parsed = parseDefinition(text);
    return parsed.ok ? undefined : parsed.offset;
  };
  expect(offsetOf(`{\n  "version" "1.0"\n}`)).toBe(`{\n  "version" `.length);
  expect(offsetOf(`{\n  "steps": [1,],\n  "x": 1\n}`)).toBe(`{\n  "steps": [1,`.length);
  expect(offsetOf(`{\n  // note\n  "x": 1\n}`)).toBe(`{\n  `.length);
});

function apply(text: string, change: { from: number; to: number; insert: string }): string {
  return text.slice(0, change.from) + change.insert + text.slice(change.to);
}

it("finds the one replacement between two texts, keeping their common start and end", () => {
  const before = `{\n  "steps": [\n    {"name": "a"}\n  ]\n}`;
  const after = `{\n  "steps": [\n    {"name": "a"},\n    {"name": "b"}\n  ]\n}`;
  const change = minimalChange(before, after);
  expect(change).toEqual({ from: before.indexOf("}") + 1, to: before.indexOf("}") + 1, insert: `,\n    {"name": "b"}` });
  expect(apply(before, change)).toBe(after);
});

it("handles equal texts, a text emptied, and repeats where start and end overlap", () => {
  expect(minimalChange("abc", "abc")).toEqual({ from: 3, to: 3, insert: "" });
  expect(apply("abc", minimalChange("abc", ""))).toBe("");
  for (const [before, after] of [["aaa", "aaaa"], ["aaaa", "aa"], ["abab", "ab"], ["", "xy"]] as const) {
    const change = minimalChange(before, after);
    expect(apply(before, change)).toBe(after);
    expect(change.insert.length).toBe(Math.max(0, after.length - before.length));
  }
});
