import { Detections } from "@cvflow/engine";
import { describe, expect, it } from "vitest";
import { compileOperations, SingleDetection, type OperationDefinition } from "../src/uql/index.js";
import { boxes, detections, expectWorkflowError } from "./fixtures.js";

const one = (operation: OperationDefinition, value: unknown, globals = {}) => compileOperations([operation])(value, globals);
const apply = (operation: OperationDefinition, value: Detections, globals = {}) => one(operation, value, globals) as Detections;

const pair = detections([
  [10, 20, 30, 40, 0.6, 0, "car"],
  [30, 40, 50, 60, 0.4, 1, "dog"],
]);

describe("DetectionsPropertyExtract", () => {
  const extract = (property_name: string, d: unknown = pair) => one({ type: "DetectionsPropertyExtract", property_name }, d);

  it.each<[string, unknown]>([
    ["class_name", ["car", "dog"]],
    ["class_id", [0, 1]],
    ["confidence", [0.6, 0.4]],
    ["x_min", [10, 30]],
    ["y_min", [20, 40]],
    ["x_max", [30, 50]],
    ["y_max", [40, 60]],
    ["size", [400, 400]],
    ["center", [[20, 30], [40, 50]]],
    ["top_left", [[10, 20], [30, 40]]],
    ["top_right", [[30, 20], [50, 40]]],
    ["bottom_left", [[10, 40], [30, 60]]],
    ["bottom_right", [[30, 40], [50, 60]]],
    ["image_dimensions", [[480, 640], [480, 640]]],
  ])("%s", (property, expected) => {
    expect(extract(property)).toEqual(expected);
  });

  it("rounds anchors to whole pixels, ties to even as numpy does", () => {
    const d = detections([
      [0, 0, 5, 5, 0.5, 0, "a"],
      [0, 0, 7, 7, 0.5, 0, "a"],
      [0.4, 0.6, 1.4, 1.6, 0.5, 0, "a"],
    ]);
    expect(extract("center", d)).toEqual([[2, 2], [4, 4], [1, 1]]);
    expect(extract("top_left", d)).toEqual([[0, 0], [0, 0], [0, 1]]);
  });

  it("reads other properties from data columns, and refuses one the detections do not carry", () => {
    const tracked = pair.withData("tracker_id", [7, 8]).withData("points", [[{ x: 1, y: 2 }, { x: 3, y: 4 }], null]);
    expect(extract("tracker_id", tracked)).toEqual([7, 8]);
    expect(extract("polygon", tracked)).toEqual([[[1, 2], [3, 4]], null]);
    expectWorkflowError(() => extract("tracker_id"), "operation_error", 'carry no "tracker_id" data');
  });

  it("keypoints_xy comes from the keypoints", () => {
    const d = pair.with({ keypoints: [[{ x: 1, y: 2, confidence: 0.9, classId: 0, className: "nose" }], null] });
    expect(extract("keypoints_xy", d)).toEqual([[[1, 2]], null]);
  });

  it("refuses what is not detections", () => {
    expectWorkflowError(() => extract("class_name", [1]), "invalid_operation_input", "DetectionsPropertyExtract", "expected detections");
  });
});

describe("ExtractDetectionProperty (one detection)", () => {
  const d = detections([[10, 20, 31, 41, 0.9, 3, "cat"]]).withData("tracker_id", [12]);
  const extract = (property_name: string, value: unknown = new SingleDetection(d, 0)) =>
    one({ type: "ExtractDetectionProperty", property_name }, value);

  it.each<[string, unknown]>([
    ["x_min", 10],
    ["y_min", 20],
    ["x_max", 31],
    ["y_max", 41],
    ["confidence", 0.9],
    ["class_id", 3],
    ["class_name", "cat"],
    ["size", 441],
    ["center", [20.5, 30.5]], // not rounded, unlike DetectionsPropertyExtract
    ["top_left", [10, 20]],
    ["top_right", [31, 20]],
    ["bottom_left", [10, 41]],
    ["bottom_right", [31, 41]],
    ["tracker_id", 12],
    ["image_dimensions", [480, 640]],
    ["velocity", null],
    ["area_px", null],
  ])("%s", (property, expected) => {
    expect(extract(property)).toEqual(expected);
  });

  it("refuses whole detections", () => {
    expectWorkflowError(() => extract("x_min", d), "invalid_operation_input", "a single detection", "(Detections)");
  });
});

describe("DetectionsFilter", () => {
  const byConfidence = (threshold: number): OperationDefinition => ({
    type: "DetectionsFilter",
    filter_operation: {
      type: "StatementGroup",
      statements: [
        {
          type: "BinaryStatement",
          left_operand: { type: "DynamicOperand", operations: [{ type: "ExtractDetectionProperty", property_name: "confidence" }] },
          comparator: { type: "(Number) >" },
          right_operand: { type: "StaticOperand", value: threshold },
        },
      ],
    },
  });

  it("keeps the detections the condition holds for", () => {
    const kept = apply(byConfidence(0.5), pair);
    expect(kept.className).toEqual(["car"]);
    expect(kept.detectionId).toEqual(["d0"]);
    expect(apply(byConfidence(0.9), pair).length).toBe(0);
    expect(apply(byConfidence(0.1), pair)).toBe(pair);
  });

  it("the condition sees the chain's named values next to `_`", () => {
    const inClasses: OperationDefinition = {
      type: "DetectionsFilter",
      filter_operation: {
        type: "StatementGroup",
        statements: [
          {
            type: "BinaryStatement",
            left_operand: { type: "DynamicOperand", operations: [{ type: "ExtractDetectionProperty", property_name: "class_name" }] },
            comparator: { type: "in (Sequence)" },
            right_operand: { type: "DynamicOperand", operand_name: "classes" },
          },
        ],
      },
    };
    expect(apply(inClasses, pair, { classes: ["dog"] }).className).toEqual(["dog"]);
    expectWorkflowError(() => apply(inClasses, pair, { classes: null }), "evaluation_error", '"in (Sequence)"', "'NoneType' object is not iterable");
    expectWorkflowError(() => apply(inClasses, pair), "undeclared_symbol", '"classes"', "/0/filter_operation/statements/0/right_operand/operand_name");
  });

  it("refuses what is not detections", () => {
    expectWorkflowError(() => one(byConfidence(0.5), { predictions: [] }), "invalid_operation_input", "DetectionsFilter");
  });
});

describe("box operations", () => {
  it("DetectionsOffset grows boxes around their centre", () => {
    expect(boxes(apply({ type: "DetectionsOffset", offset_x: 10, offset_y: 4 }, pair))).toEqual([
      [5, 18, 35, 42],
      [25, 38, 55, 62],
    ]);
  });

  it("DetectionsShift moves boxes", () => {
    expect(boxes(apply({ type: "DetectionsShift", shift_x: 5, shift_y: -5 }, pair))).toEqual([
      [15, 15, 35, 35],
      [35, 35, 55, 55],
    ]);
  });

  it("never changes its input", () => {
    apply({ type: "DetectionsShift", shift_x: 5, shift_y: 5 }, pair);
    expect(boxes(pair)).toEqual([
      [10, 20, 30, 40],
      [30, 40, 50, 60],
    ]);
    expectWorkflowError(() => one({ type: "DetectionsOffset", offset_x: 1, offset_y: 1 }, 5), "invalid_operation_input");
  });
});

describe("DetectionsSelection", () => {
  const d = detections([
    [50, 0, 60, 10, 0.5, 0, "a"], // centre x 55
    [0, 0, 20, 10, 0.9, 0, "b"], // centre x 10
    [5, 0, 15, 10, 0.9, 0, "c"], // centre x 10: a tie with b
    [80, 0, 100, 10, 0.2, 0, "d"], // centre x 90
  ]);
  const select = (mode: string, value: Detections = d) => apply({ type: "DetectionsSelection", mode }, value).className;

  it.each([
    ["first", ["a"]],
    ["last", ["d"]],
    ["left_most", ["b"]], // the first of equals
    ["right_most", ["d"]],
    ["top_confidence", ["b"]],
  ])("%s", (mode, expected) => {
    expect(select(mode)).toEqual(expected);
  });

  it("selecting from no detections gives no detections", () => {
    expect(select("top_confidence", detections([]))).toEqual([]);
  });
});

describe("SortDetections", () => {
  const d = detections([
    [0, 0, 10, 10, 0.5, 0, "a"],
    [20, 0, 25, 5, 0.9, 0, "b"],
    [5, 5, 35, 15, 0.5, 0, "c"],
  ]);
  const sort = (mode: string, ascending?: boolean) =>
    apply({ type: "SortDetections", mode, ...(ascending === undefined ? {} : { ascending }) }, d).className;

  it.each<[string, boolean | undefined, string[]]>([
    ["confidence", undefined, ["a", "c", "b"]],
    ["confidence", false, ["b", "c", "a"]], // equal confidences come out reversed, as numpy's reversed argsort gives
    ["x_min", true, ["a", "c", "b"]],
    ["x_max", false, ["c", "b", "a"]],
    ["y_min", true, ["a", "b", "c"]],
    ["y_max", true, ["b", "a", "c"]],
    ["size", true, ["b", "a", "c"]],
    ["center_x", true, ["a", "c", "b"]],
    ["center_y", false, ["c", "a", "b"]],
  ])("%s ascending=%s", (mode, ascending, expected) => {
    expect(sort(mode, ascending)).toEqual(expected);
  });
});

describe("DetectionsRename", () => {
  const d = detections([
    [0, 1, 2, 3, 0.3, 10, "a"],
    [0, 1, 2, 3, 0.4, 11, "b"],
  ]);
  const rename = (fields: Partial<OperationDefinition>, globals = {}) => apply({ type: "DetectionsRename", class_map: {}, ...fields }, d, globals);

  it("strict (the default): ids become the index of the new name among the sorted new names", () => {
    const result = rename({ class_map: { a: "B", b: "A" } });
    expect(result.className).toEqual(["B", "A"]);
    expect([...result.classId]).toEqual([1, 0]);
    expect(boxes(result)).toEqual(boxes(d));
    expect([...result.confidence]).toEqual([0.3, 0.4]);
  });

  it("strict: a class missing from the map is an error", () => {
    expectWorkflowError(() => rename({ class_map: { a: "A" } }), "operation_error", 'class "b" is not in class_map');
  });

  it("not strict: new names get ids from new_classes_id_offset, unmapped classes keep theirs", () => {
    const all = rename({ class_map: { a: "A", b: "B" }, strict: false });
    expect([...all.classId]).toEqual([1024, 1025]);
    const some = rename({ class_map: { a: "A" }, strict: false, new_classes_id_offset: 7 });
    expect(some.className).toEqual(["A", "b"]);
    expect([...some.classId]).toEqual([7, 11]);
    const merged = rename({ class_map: { a: "b" }, strict: false });
    expect(merged.className).toEqual(["b", "b"]);
    expect([...merged.classId]).toEqual([11, 11]);
  });

  it("class_map and strict may name parameters of the chain", () => {
    const result = rename({ class_map: "mapping", strict: "strict_param" }, { mapping: { a: "A", b: "B" }, strict_param: true });
    expect(result.className).toEqual(["A", "B"]);
    expect([...result.classId]).toEqual([0, 1]);
    expectWorkflowError(() => rename({ class_map: "mapping" }), "undeclared_symbol", '"mapping"', "/0/class_map");
    expectWorkflowError(() => rename({ class_map: "mapping" }, { mapping: ["a"] }), "invalid_operation_input", "a dictionary as class_map");
    expectWorkflowError(() => rename({ class_map: { a: "A", b: "B" }, strict: "s" }, { s: "yes" }), "invalid_operation_input", "true or false");
  });
});

describe("DetectionsToDictionary", () => {
  it("gives the wire format", () => {
    const d = detections([
      [0, 1, 2, 3, 0.3, 0, "cat"],
      [4, 5, 6, 7, 0.4, 1, "dog"],
    ]);
    expect(one({ type: "DetectionsToDictionary" }, d)).toEqual({
      image: { width: 640, height: 480 },
      predictions: [
        { width: 2, height: 2, x: 1, y: 2, confidence: 0.3, class_id: 0, class: "cat", detection_id: "d0", parent_id: null },
        { width: 2, height: 2, x: 5, y: 6, confidence: 0.4, class_id: 1, class: "dog", detection_id: "d1", parent_id: null },
      ],
    });
    expectWorkflowError(() => one({ type: "DetectionsToDictionary" }, "invalid"), "invalid_operation_input");
  });
});

describe("PickDetectionsByParentClass", () => {
  const pick = (d: Detections) => apply({ type: "PickDetectionsByParentClass", parent_class: "a" }, d);

  it("keeps parents first, then the others whose centre lies in a parent (edges included)", () => {
    const d = detections([
      [0, 0, 50, 50, 0.3, 0, "a"],
      [20, 20, 30, 30, 0.4, 1, "b"],
      [40, 40, 50, 50, 0.5, 1, "b"],
      [100, 100, 200, 200, 0.6, 0, "a"],
      [150, 100, 250, 200, 0.7, 2, "c"], // centre (200, 150): on the parent's right edge
      [400, 400, 600, 600, 0.9, 3, "d"],
    ]);
    const result = pick(d);
    expect(boxes(result)).toEqual([
      [0, 0, 50, 50],
      [100, 100, 200, 200],
      [20, 20, 30, 30],
      [40, 40, 50, 50],
      [150, 100, 250, 200],
    ]);
    expect([...result.confidence]).toEqual([0.3, 0.6, 0.4, 0.5, 0.7]);
  });

  it("keeps parents without children, and nothing when there is no parent", () => {
    const parentsOnly = detections([
      [0, 0, 10, 10, 0.3, 0, "a"],
      [20, 20, 30, 30, 0.4, 0, "a"],
      [40, 40, 50, 50, 0.5, 1, "b"],
    ]);
    expect(boxes(pick(parentsOnly))).toEqual([
      [0, 0, 10, 10],
      [20, 20, 30, 30],
    ]);
    expect(pick(detections([[0, 1, 2, 3, 0.3, 0, "c"]])).length).toBe(0);
    expect(pick(detections([])).length).toBe(0);
  });
});
