import { describe, expect, it } from "vitest";
import { compileStatement, SingleDetection } from "../src/uql/index.js";
import { detections, expectWorkflowError } from "./fixtures.js";

const dynamic = (operand_name: string, operations: unknown[] = []) => ({ type: "DynamicOperand", operand_name, operations });
const literal = (value: unknown, operations: unknown[] = []) => ({ type: "StaticOperand", value, operations });

const binary = (comparator: string, negate = false) => ({
  type: "BinaryStatement",
  left_operand: dynamic("left"),
  comparator: { type: comparator },
  right_operand: dynamic("right"),
  negate,
});
const unary = (operator: string, negate = false) => ({ type: "UnaryStatement", operand: dynamic("value"), operator: { type: operator }, negate });
const group = (statements: object[], operator?: "and" | "or") => ({ type: "StatementGroup", statements, ...(operator ? { operator } : {}) });

const compare = (comparator: string, left: unknown, right: unknown, negate = false) => compileStatement(binary(comparator, negate))({ left, right });
const test = (operator: string, value: unknown, negate = false) => compileStatement(unary(operator, negate))({ value });

const square = [
  [0, 0],
  [10, 0],
  [10, 10],
  [0, 10],
];

describe("binary comparators (Python semantics)", () => {
  it.each<[string, unknown, unknown, boolean]>([
    ["==", [1, "a"], [1, "a"], true],
    ["==", { a: [1] }, { a: [1] }, true],
    ["==", 1, true, true], // True == 1 in Python
    ["==", "1", 1, false],
    ["==", null, null, true],
    ["==", [1, 2], [2, 1], false],
    ["(Number) ==", 1, 1, true],
    ["!=", "a", "b", true],
    ["(Number) !=", 2, 2, false],
    ["(Number) >", 3, 2, true],
    ["(Number) >", 2, 2, false],
    ["(Number) >=", 2, 2, true],
    ["(Number) <", 1, 2.5, true],
    ["(Number) <=", 3, 2, false],
    ["(Number) >", "b", "a", true], // Python orders strings too
    ["(Number) >", [1, 3], [1, 2], true],
    ["(Number) <", [1], [1, 0], true],
    ["(Number) >", NaN, 1, false],
    ["(Number) <=", NaN, NaN, false],
    ["(Number) in range", 2, [1, 3], true],
    ["(Number) in range", 1, [1, 3], true], // inclusive at both ends
    ["(Number) in range", 3, [1, 3], true],
    ["(Number) in range", 3.5, [1, 3], false],
    ["(Number) in range", 0, [1, 3], false],
    ["(Number) in range", 2, [3, 1], false], // min above max: nothing is within
    ["(Number) in range", NaN, [0, 1], false],
    ["(String) startsWith", "hello", "he", true],
    ["(String) startsWith", "hello", "lo", false],
    ["(String) endsWith", "hello", "lo", true],
    ["(String) contains", "hello", "ell", true],
    ["(String) contains", ["a", "b"], "a", true], // Python `b in a` works on a list as well
    ["in (Sequence)", "a", ["a", "b"], true],
    ["in (Sequence)", "c", ["a", "b"], false],
    ["in (Sequence)", 1, [1.0, 2], true],
    ["in (Sequence)", "a", { a: 1 }, true],
    ["in (Sequence)", 1, { "1": 1 }, false],
    ["in (Sequence)", "ell", "hello", true],
    ["any in (Sequence)", ["x", "a"], ["a", "b"], true],
    ["any in (Sequence)", ["x"], ["a", "b"], false],
    ["any in (Sequence)", [], ["a"], false],
    ["all in (Sequence)", ["a", "b"], ["a", "b", "c"], true],
    ["all in (Sequence)", ["a", "x"], ["a", "b"], false],
    ["all in (Sequence)", [], ["a"], true],
    ["(Detection) in zone", [5, 5], square, true],
    ["(Detection) in zone", [15, 5], square, false],
    ["(Detection) in zone", [10, 5], square, false], // on the edge is not inside
  ])("%j: %j vs %j is %s", (comparator, left, right, expected) => {
    expect(compare(comparator, left, right)).toBe(expected);
    expect(compare(comparator, left, right, true)).toBe(!expected);
  });

  it("(Detection) in zone takes a detection by the centre of its box", () => {
    const d = detections([
      [2, 2, 6, 6, 0.9, 0, "in"],
      [8, 8, 16, 16, 0.9, 0, "out"],
    ]);
    expect(compare("(Detection) in zone", new SingleDetection(d, 0), square)).toBe(true);
    expect(compare("(Detection) in zone", new SingleDetection(d, 1), square)).toBe(false);
  });

  it.each<[string, unknown, unknown, string]>([
    ["(Number) >", null, 1, "'<' not supported between instances of 'NoneType' and 'int'"],
    ["(Number) <", "a", 1, "'<' not supported between instances of 'str' and 'int'"],
    ["(Number) in range", 1, 5, "the range must be a list [min, max], got int"],
    ["(Number) in range", 1, [0], "the range must be a list [min, max], got list of 1"],
    ["(Number) in range", "a", [0, 1], "'<' not supported between instances of 'int' and 'str'"],
    ["(String) startsWith", 1, "a", "startsWith needs two strings, got int and str"],
    ["(String) endsWith", "a", null, "endsWith needs two strings"],
    ["in (Sequence)", 1, "abc", "'in <string>' requires string as left operand, not int"],
    ["in (Sequence)", "a", 5, "'int' object is not iterable"],
    ["in (Sequence)", ["a"], { a: 1 }, "unhashable type: 'list'"],
    ["any in (Sequence)", 3, ["a"], "'int' object is not iterable"],
    ["(Detection) in zone", "here", square, "the left operand must be a detection or an [x, y] point"],
    ["(Detection) in zone", [1, 1], [[0, 0], [1, 1]], "at least 3 [x, y] points"],
  ])("%j: %j vs %j is an evaluation error", (comparator, left, right, message) => {
    const error = expectWorkflowError(() => compare(comparator, left, right), "evaluation_error", `"${comparator}" at /comparator`, message);
    expect(error.details).toEqual({ comparator, at: "/comparator" });
  });
});

describe("unary operators", () => {
  it.each<[string, unknown, boolean]>([
    ["Exists", null, false],
    ["Exists", undefined, false],
    ["Exists", 0, true],
    ["Exists", "", true],
    ["DoesNotExist", null, true],
    ["DoesNotExist", false, false],
    ["(Boolean) is True", true, true],
    ["(Boolean) is True", 1, false], // `is True`, not truthiness
    ["(Boolean) is False", false, true],
    ["(Boolean) is False", 0, false],
    ["(Sequence) is empty", [], true],
    ["(Sequence) is empty", "", true],
    ["(Sequence) is empty", {}, true],
    ["(Sequence) is empty", [0], false],
    ["(Sequence) is not empty", "a", true],
    ["(Sequence) is not empty", { a: 1 }, true],
  ])("%j %j is %s", (operator, value, expected) => {
    expect(test(operator, value)).toBe(expected);
    expect(test(operator, value, true)).toBe(!expected);
  });

  it("a sequence test on detections counts them; on a number it fails", () => {
    expect(test("(Sequence) is empty", detections([]))).toBe(true);
    expect(test("(Sequence) is not empty", detections([[0, 0, 1, 1, 0.5, 0, "a"]]))).toBe(true);
    expectWorkflowError(() => test("(Sequence) is empty", 1), "evaluation_error", "object of type 'int' has no len()", "/operator");
  });
});

describe("statement groups", () => {
  const truthy = unary("Exists");
  const falsy = unary("DoesNotExist");
  const evaluate = (statement: object, value: unknown = 1) => compileStatement(statement)({ value });

  it("combine with or by default, or with and", () => {
    expect(evaluate(group([falsy, truthy]))).toBe(true);
    expect(evaluate(group([falsy, falsy]))).toBe(false);
    expect(evaluate(group([truthy, falsy], "and"))).toBe(false);
    expect(evaluate(group([truthy, truthy], "and"))).toBe(true);
    expect(evaluate(group([group([falsy]), group([truthy, truthy], "and")]))).toBe(true);
  });

  it("evaluate every statement, so a later failure is not hidden by an earlier decision", () => {
    const failing = unary("(Sequence) is empty");
    expectWorkflowError(() => evaluate(group([truthy, failing])), "evaluation_error", "/statements/1/operator");
    expectWorkflowError(() => evaluate(group([falsy, failing], "and")), "evaluation_error");
  });
});

describe("operands", () => {
  it("a DynamicOperand reads `_` unless named, through its operations", () => {
    const statement = group([
      {
        type: "BinaryStatement",
        left_operand: { type: "DynamicOperand", operations: [{ type: "SequenceLength" }] },
        comparator: { type: "(Number) >=" },
        right_operand: literal(2),
      },
    ]);
    expect(compileStatement(statement)({ _: [1, 2] })).toBe(true);
    expect(compileStatement(statement)({ _: [1] })).toBe(false);
  });

  it("a StaticOperand's operations run on its value and see the named values", () => {
    const statement = {
      type: "BinaryStatement",
      left_operand: literal("abc", [{ type: "StringToUpperCase" }]),
      comparator: { type: "==" },
      right_operand: dynamic("expected"),
    };
    expect(compileStatement(statement)({ expected: "ABC" })).toBe(true);
    const renamed = {
      type: "BinaryStatement",
      left_operand: literal(null),
      comparator: { type: "==" },
      right_operand: dynamic("d", [
        { type: "DetectionsRename", class_map: "mapping" },
        { type: "DetectionsPropertyExtract", property_name: "class_name" },
      ]),
    };
    const d = detections([[0, 0, 1, 1, 0.5, 0, "a"]]);
    expect(compileStatement({ ...renamed, left_operand: literal(["A"]) })({ d, mapping: { a: "A" } })).toBe(true);
  });

  it("an undefined name is an error naming it, its place and what is defined", () => {
    const statement = group([binary("==")]);
    const error = expectWorkflowError(
      () => compileStatement(statement, "/condition")({ left: 1, other: 2 }),
      "undeclared_symbol",
      '/condition/statements/0/right_operand/operand_name refers to "right"',
      'defined: "left", "other"',
    );
    expect(error.details).toEqual({ symbol: "right", at: "/condition/statements/0/right_operand/operand_name" });
  });

  it("errors of an operand's operations come out unchanged", () => {
    const statement = { type: "UnaryStatement", operand: dynamic("value", [{ type: "StringToUpperCase" }]), operator: { type: "Exists" } };
    expectWorkflowError(() => compileStatement(statement)({ value: 3 }), "invalid_operation_input", "StringToUpperCase at /operand/operations/0");
  });
});

describe("compileStatement", () => {
  it("compiles a definition once", () => {
    const statement = group([unary("Exists")]);
    expect(compileStatement(statement)).toBe(compileStatement(statement));
    expect(compileStatement(statement, "/a")).not.toBe(compileStatement(statement, "/b"));
  });
});
