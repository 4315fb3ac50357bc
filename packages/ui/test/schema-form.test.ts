import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { answerOf, draftsOf, fieldPointerOf, formOf, type FormField } from "../src/runs/schema-form.js";

/** The fields as `kind pointer [required]` lines, nested ones indented: what the form shows. */
function outline(field: FormField, depth = 0): string[] {
  const line = `${"  ".repeat(depth)}${field.kind} ${field.pointer || "(answer)"}${field.required ? " required" : ""}`;
  return field.kind === "object" ? [line, ...field.fields.flatMap((child) => outline(child, depth + 1))] : [line];
}

const REVIEW = JSON.parse(readFileSync(new URL("../../../examples/detect-review-classify.workflow.json", import.meta.url), "utf8")) as { steps: { name: string; answer_schema?: unknown }[] };
const reviewSchema = REVIEW.steps.find((step) => step.name === "review")!.answer_schema;

describe("answer schema → form fields", () => {
  it("makes each property a field of its type; arrays of objects and combinators are raw JSON", () => {
    const form = formOf({
      type: "object",
      required: ["name", "tags", "size"],
      properties: {
        name: { type: "string", title: "Your name", description: "as on the badge" },
        count: { type: "integer", minimum: 1, default: 2 },
        ratio: { type: ["number", "null"], maximum: 1 },
        ok: { type: "boolean", default: true },
        maybe: { type: "boolean" },
        colour: { enum: ["red", "green"] },
        tags: { type: "array", items: { type: "string" } },
        boxes: { type: "array", items: { type: "object" } },
        either: { anyOf: [{ type: "string" }, { type: "number" }] },
        size: { type: "object", required: ["w"], properties: { w: { type: "number" }, "h/eight": { type: "number" } } },
        free: { type: "object" },
        anything: {},
      },
    });
    expect(outline(form)).toEqual([
      "object (answer) required",
      "  string /name required",
      "  integer /count",
      "  number /ratio",
      "  boolean /ok",
      "  enum /maybe",
      "  enum /colour",
      "  string-list /tags required",
      "  json /boxes",
      "  json /either",
      "  object /size required",
      "    number /size/w required",
      "    number /size/h~1eight",
      "  json /free",
      "  json /anything",
    ]);
    expect(form.kind === "object" && form.fields[0]).toMatchObject({ label: "Your name", description: "as on the badge" });
    expect(form.kind === "object" && form.fields[1]).toMatchObject({ minimum: 1, default: 2 });
    expect(form.kind === "object" && form.fields[4]).toMatchObject({ kind: "enum", options: [true, false] });
  });

  it("a schema that is not an object with properties is one field: the answer itself", () => {
    expect(outline(formOf({ type: "string" }))).toEqual(["string (answer) required"]);
    expect(outline(formOf({}))).toEqual(["json (answer) required"]);
    expect(outline(formOf({ type: "array", items: { type: "string" } }))).toEqual(["string-list (answer) required"]);
  });

  it("the review demo's schema: the image's size as numbers, the detections as JSON, filled from the data the step shows", () => {
    const form = formOf(reviewSchema);
    expect(outline(form)).toEqual(["object (answer) required", "  object /image", "    number /image/width", "    number /image/height", "  json /predictions required"]);
    const data = { image: { width: 810, height: 1080 }, predictions: [{ x: 10, y: 20, width: 5, height: 6, class: "bus", confidence: 0.9 }] };
    const drafts = draftsOf(form, data);
    expect(drafts).toEqual({ "/image/width": "810", "/image/height": "1080", "/predictions": JSON.stringify(data.predictions, null, 2) });
    expect(answerOf(form, drafts)).toEqual({ answer: data, errors: {} });
  });
});

describe("drafts → answer", () => {
  const form = formOf({
    type: "object",
    required: ["name", "tags"],
    properties: {
      name: { type: "string" },
      count: { type: "integer", default: 2 },
      ratio: { type: "number" },
      ok: { type: "boolean", default: true },
      maybe: { type: "boolean" },
      colour: { enum: ["red", { rgb: [0, 255, 0] }] },
      tags: { type: "array", items: { type: "string" } },
      size: { type: "object", properties: { w: { type: "number" } } },
      extra: { type: "array", items: { type: "object" } },
    },
  });

  it("starts from the schema's defaults", () => {
    expect(draftsOf(form)).toEqual({ "/name": "", "/count": "2", "/ratio": "", "/ok": true, "/maybe": "", "/colour": "", "/tags": "", "/size/w": "", "/extra": "" });
  });

  it("types each value, leaves empty optional fields (and empty optional objects) out", () => {
    const drafts = { ...draftsOf(form), "/name": "Ada", "/ratio": " 0.5 ", "/maybe": "1", "/colour": "1", "/tags": "a\n\n b \n", "/extra": '[{"x": 1}]' };
    expect(answerOf(form, drafts)).toEqual({
      answer: { name: "Ada", count: 2, ratio: 0.5, ok: true, maybe: false, colour: { rgb: [0, 255, 0] }, tags: ["a", "b"], extra: [{ x: 1 }] },
      errors: {},
    });
  });

  it("names each field it cannot read, by pointer, and builds no answer then", () => {
    const drafts = { ...draftsOf(form), "/count": "2.5", "/ratio": "abc", "/extra": "[{", "/size/w": "3" };
    expect(answerOf(form, drafts)).toEqual({ errors: { "/name": "required", "/count": "not a whole number", "/ratio": "not a number", "/extra": "not valid JSON" } });
    // a required list may be empty: required asks only that it be there
    expect(answerOf(form, { ...draftsOf(form), "/name": "x" }).answer).toEqual({ name: "x", count: 2, ok: true, tags: [] });
  });

  it("shows a problem the service found at the field that holds it", () => {
    expect(fieldPointerOf(form, "/extra/0/x")).toBe("/extra");
    expect(fieldPointerOf(form, "/size/w")).toBe("/size/w");
    expect(fieldPointerOf(form, "/unknown")).toBe("");
    expect(fieldPointerOf(formOf({ type: "string" }), "/a")).toBe("");
  });
});
