/** The nesting limit on JSON, checked on text and on values without recursion. */
import { describe, expect, it } from "vitest";
import { checkJsonTextDepth, checkJsonValueDepth, jsonTextTooDeep, MAX_JSON_DEPTH, WorkflowError } from "../src/index.js";
import { testEngine } from "./fixtures.js";

const nested = (levels: number): string => "[".repeat(levels) + "]".repeat(levels);

describe("jsonTextTooDeep", () => {
  it("counts objects and arrays, not brackets inside strings or escaped quotes", () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(jsonTextTooDeep(nested(64))).toBeUndefined();
    expect(jsonTextTooDeep(nested(65))).toBe(65);
    expect(jsonTextTooDeep(`{"a": {"b": [1, {"c": "[[[[{{{{"}]}}`, 4)).toBeUndefined();
    expect(jsonTextTooDeep(`{"a": {"b": [1, {"c": 1}]}}`, 3)).toBe(4);
    expect(jsonTextTooDeep(`["\\"[[[", "\\\\", [[]]]`, 2)).toBe(3);
    expect(jsonTextTooDeep(`["\\\\"]`, 1)).toBeUndefined();
  });

  it("scans 100,000 levels without a stack overflow", () => {
    expect(jsonTextTooDeep(nested(100_000))).toBe(MAX_JSON_DEPTH + 1);
  });
});

describe("the checks", () => {
  it("throw 400 too_deeply_nested with the limit in details", () => {
    const error = (() => {
      try {
        checkJsonTextDepth(nested(10_000), "The request body");
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).toJSON()).toEqual({
      code: "too_deeply_nested",
      message: "The request body nests objects and arrays more than 64 levels deep",
      status: 400,
      details: { limit: 64 },
    });
  });

  it("walk parsed values iteratively: 10,000 levels refused, 64 accepted", () => {
    const deep = JSON.parse(nested(10_000)) as unknown;
    expect(() => checkJsonValueDepth(deep, "A value")).toThrow(/more than 64 levels/);
    expect(() => checkJsonValueDepth(JSON.parse(nested(64)), "A value")).not.toThrow();
    expect(() => checkJsonValueDepth({ a: [{ b: JSON.parse(nested(62)) }] }, "A value")).toThrow(/64/);
  });
});

describe("the engine", () => {
  it("refuses a definition nested 10,000 levels deep with too_deeply_nested (in-process callers too: batch jobs, the CLI's local runs)", () => {
    const definition = { version: "1.0", inputs: [], steps: [], outputs: [], description: JSON.parse(nested(10_000)) as unknown };
    expect(() => testEngine().compile(definition)).toThrow(expect.objectContaining({ code: "too_deeply_nested", status: 400, details: { limit: 64 } }));
    expect(testEngine().compile({ ...definition, description: "shallow" }).hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
