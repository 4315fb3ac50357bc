import { describe, expect, it } from "vitest";
import { compileOperations, type OperationDefinition } from "../src/uql/index.js";
import { detections, expectWorkflowError } from "./fixtures.js";

const run = (operations: OperationDefinition[], value: unknown, globals = {}) => compileOperations(operations)(value, globals);
const one = (operation: OperationDefinition, value: unknown) => run([operation], value);

describe("chains", () => {
  it("an empty chain returns the value itself", () => {
    const value = { a: 1 };
    expect(run([], value)).toBe(value);
  });

  it("applies operations in order", () => {
    expect(run([{ type: "StringToUpperCase" }, { type: "StringSubSequence", start: 1, end: 3 }], "abcd")).toBe("BC");
  });

  it("compiles a definition object once", () => {
    const operations = [{ type: "SequenceLength" }];
    expect(compileOperations(operations)([1, 2])).toBe(2);
    expect(compileOperations(operations)([1, 2, 3])).toBe(3);
  });

  it("names the failing operation, its position and the value it got", () => {
    const error = expectWorkflowError(
      () => compileOperations([{ type: "SequenceLength" }, { type: "StringToLowerCase" }], "/operations")([1]),
      "invalid_operation_input",
      "StringToLowerCase at /operations/1 expected a string, got 1 (int)",
    );
    expect(error.details).toEqual({ operation: "StringToLowerCase", at: "/operations/1" });
    expect(error.status).toBe(400);
  });
});

describe("string operations", () => {
  it("StringToLowerCase / StringToUpperCase", () => {
    expect(one({ type: "StringToLowerCase" }, "HeLLo")).toBe("hello");
    expect(one({ type: "StringToUpperCase" }, "straße")).toBe("STRASSE");
    expectWorkflowError(() => one({ type: "StringToUpperCase" }, null), "invalid_operation_input", "None (NoneType)");
  });

  it.each<[unknown, string]>([
    [3, "3"],
    [0.5, "0.5"],
    [0.00001, "1e-05"],
    [true, "True"],
    [null, "None"],
    ["text", "text"],
    [["a", 1, null], "['a', 1, None]"],
    [["it's"], `["it's"]`],
    [{ a: [1, 2], "b\n": false }, "{'a': [1, 2], 'b\\n': False}"],
    [{ image: { width: 2, height: 1 } }, "{'image': {'width': 2, 'height': 1}}"],
  ])("ToString(%j) == %j", (value, expected) => {
    expect(one({ type: "ToString" }, value)).toBe(expected);
  });

  it.each<[Partial<OperationDefinition>, string]>([
    [{}, "abcde"], // default end -1 drops the last character, as in Roboflow
    [{ start: 1, end: 3 }, "bc"],
    [{ start: -3, end: 100 }, "def"],
    [{ start: 4, end: 2 }, ""],
    [{ start: -100 }, "abcde"],
  ])("StringSubSequence %j of 'abcdef'", (fields, expected) => {
    expect(one({ type: "StringSubSequence", ...fields }, "abcdef")).toBe(expected);
  });

  it("StringSubSequence counts characters, not UTF-16 units", () => {
    expect(one({ type: "StringSubSequence", start: 0, end: 2 }, "😀ab")).toBe("😀a");
    expectWorkflowError(() => one({ type: "StringSubSequence" }, 12), "invalid_operation_input", "StringSubSequence");
  });

  it.each([
    ["hello", "hello", true],
    ["hello world", "hello", true],
    ["say hello", "hello", true],
    ["hello", "^hello$", true],
    ["hello", "world", false],
    ["hell", "hello", false],
    ["cat-42", "(?P<animal>[a-z]+)-(?P=animal)?\\d+", true],
  ])("StringMatches(%j, %j) == %s", (value, regex, expected) => {
    expect(one({ type: "StringMatches", regex }, value)).toBe(expected);
  });

  it("StringMatches refuses non-strings and invalid expressions", () => {
    expectWorkflowError(() => one({ type: "StringMatches", regex: "a" }, 123), "invalid_operation_input");
    expectWorkflowError(() => compileOperations([{ type: "StringMatches", regex: "(" }]), "operation_error", "invalid regular expression");
  });
});

describe("number operations", () => {
  it.each<[unknown, "int" | "float", number]>([
    ["42", "int", 42],
    ["0", "int", 0],
    ["3.14", "int", 3],
    ["-3.9", "int", -3],
    ["0.5", "float", 0.5],
    ["42", "float", 42],
    [" 7 ", "float", 7],
    ["1_000", "int", 1000],
    [true, "int", 1],
    [2.9, "int", 2],
  ])("ToNumber(%j, %s) == %s", (value, cast_to, expected) => {
    expect(one({ type: "ToNumber", cast_to }, value)).toBe(expected);
  });

  it("ToNumber refuses what Python's float() refuses", () => {
    expectWorkflowError(() => one({ type: "ToNumber", cast_to: "int" }, "not a number"), "invalid_operation_input", "casts into int");
    expectWorkflowError(() => one({ type: "ToNumber", cast_to: "float" }, null), "invalid_operation_input");
    expectWorkflowError(() => one({ type: "ToNumber", cast_to: "float" }, [1]), "invalid_operation_input");
    expectWorkflowError(() => one({ type: "ToNumber", cast_to: "int" }, "inf"), "invalid_operation_input", "finite");
    expect(one({ type: "ToNumber", cast_to: "float" }, "nan")).toBeNaN();
  });

  it.each<[unknown, number, number]>([
    [0.125, 2, 0.12],
    [2.675, 2, 2.67],
    [2.5, 0, 2],
    [3.5, 0, 4],
    [1250, -2, 1200],
    [1350, -2, 1400],
    [1234.5678, -2, 1200],
    [true, 1, 1],
  ])("NumberRound(%s, %s) == %s", (value, decimal_digits, expected) => {
    expect(one({ type: "NumberRound", decimal_digits }, value)).toBe(expected);
  });

  it("NumberRound refuses non-numbers", () => {
    expectWorkflowError(() => one({ type: "NumberRound", decimal_digits: 1 }, "1.5"), "invalid_operation_input", "'1.5' (str)");
  });

  it("Multiply follows Python: numbers multiply, strings and lists repeat by an int", () => {
    expect(one({ type: "Multiply", other: 4 }, 2.5)).toBe(10);
    expect(one({ type: "Multiply", other: 0.02 }, 307200)).toBeCloseTo(6144, 9);
    expect(one({ type: "Multiply", other: 3 }, "ab")).toBe("ababab");
    expect(one({ type: "Multiply", other: 2 }, [1, [2]])).toEqual([1, [2], 1, [2]]);
    expect(one({ type: "Multiply", other: -1 }, "ab")).toBe("");
    expectWorkflowError(() => one({ type: "Multiply", other: 1.5 }, "ab"), "invalid_operation_input", "multiplied by 1.5");
    expectWorkflowError(() => one({ type: "Multiply", other: 2 }, null), "invalid_operation_input");
  });

  it("Divide is true division and refuses a zero divisor", () => {
    expect(one({ type: "Divide", other: 2 }, 7)).toBe(3.5);
    expect(one({ type: "Divide", other: 4 }, true)).toBe(0.25);
    expectWorkflowError(() => one({ type: "Divide", other: 0 }, 1), "invalid_operation_input", "other than 0");
    expectWorkflowError(() => one({ type: "Divide", other: 2 }, "a"), "invalid_operation_input");
  });
});

describe("sequence operations", () => {
  const table = { a: "A", b: "B" };

  it("SequenceMap maps each element, and a string's characters", () => {
    expect(one({ type: "SequenceMap", lookup_table: table }, ["a", "b", "a"])).toEqual(["A", "B", "A"]);
    expect(one({ type: "SequenceMap", lookup_table: table }, "ab")).toEqual(["A", "B"]);
  });

  it("SequenceMap refuses elements outside the table, unhashable elements and non-sequences", () => {
    expectWorkflowError(() => one({ type: "SequenceMap", lookup_table: table }, ["a", "c"]), "invalid_operation_input", "['a', 'b']", "'c' (str)");
    expectWorkflowError(() => one({ type: "SequenceMap", lookup_table: { "1": "one" } }, [1]), "invalid_operation_input");
    expectWorkflowError(() => one({ type: "SequenceMap", lookup_table: table }, [["a"]]), "invalid_operation_input", "unhashable type: 'list'");
    expectWorkflowError(() => one({ type: "SequenceMap", lookup_table: table }, 5), "invalid_operation_input", "'int' object is not iterable");
  });

  it("SequenceApply runs a chain on each element; errors inside name their position", () => {
    expect(one({ type: "SequenceApply", operations: [{ type: "StringToUpperCase" }, { type: "SequenceLength" }] }, ["ab", "c"])).toEqual([2, 1]);
    expectWorkflowError(
      () => compileOperations([{ type: "SequenceApply", operations: [{ type: "StringToUpperCase" }] }], "/ops")(["a", 1]),
      "invalid_operation_input",
      "StringToUpperCase at /ops/0/operations/0",
    );
    expectWorkflowError(() => one({ type: "SequenceApply", operations: [] }, null), "invalid_operation_input", "SequenceApply");
  });

  it.each<["min" | "max" | "sum", unknown, unknown]>([
    ["min", [3, 1, 2], 1],
    ["max", [3, 1, 2], 3],
    ["sum", [3, 1, 2.5], 6.5],
    ["sum", [true, true], 2],
    ["min", ["b", "a"], "a"],
    ["max", [[1, 2], [1, 3]], [1, 3]],
  ])("NumericSequenceAggregate %s(%j) == %j", (fn, value, expected) => {
    expect(one({ type: "NumericSequenceAggregate", function: fn }, value)).toEqual(expected);
  });

  it("NumericSequenceAggregate gives neutral_value (default None) for an empty sequence", () => {
    expect(one({ type: "NumericSequenceAggregate", function: "sum", neutral_value: 0 }, [])).toBe(0);
    expect(one({ type: "NumericSequenceAggregate", function: "max" }, [])).toBeNull();
  });

  it("NumericSequenceAggregate refuses what Python cannot add or compare", () => {
    expectWorkflowError(() => one({ type: "NumericSequenceAggregate", function: "sum" }, [1, "a"]), "invalid_operation_input", "'str'");
    expectWorkflowError(() => one({ type: "NumericSequenceAggregate", function: "min" }, [1, "a"]), "invalid_operation_input", "'<' not supported");
    expectWorkflowError(() => one({ type: "NumericSequenceAggregate", function: "min" }, 5), "invalid_operation_input", "has no len()");
  });

  it.each<["first" | "last" | "most_common" | "least_common", unknown, unknown]>([
    ["first", ["a", "b", "b", "c"], "a"],
    ["last", ["a", "b", "b", "c"], "c"],
    ["most_common", ["a", "b", "b", "c"], "b"],
    ["least_common", ["a", "b", "b", "c"], "c"], // ties keep first-seen order; least is the last of them
    ["most_common", ["x", "y"], "x"],
    ["most_common", [1, true, 2], 1], // 1 == True in Python: one key counted twice
    ["most_common", "aab", "a"],
  ])("SequenceAggregate %s(%j) == %j", (mode, value, expected) => {
    expect(one({ type: "SequenceAggregate", mode }, value)).toEqual(expected);
  });

  it("SequenceAggregate refuses empty sequences, unhashable elements and non-sequences", () => {
    expectWorkflowError(() => one({ type: "SequenceAggregate", mode: "first" }, []), "invalid_operation_input", "non-empty");
    expectWorkflowError(() => one({ type: "SequenceAggregate", mode: "most_common" }, [[1], [1]]), "invalid_operation_input", "unhashable");
    expectWorkflowError(() => one({ type: "SequenceAggregate", mode: "first" }, 3), "invalid_operation_input");
  });

  it("SequenceLength is Python len()", () => {
    expect(one({ type: "SequenceLength" }, [1, 2, 3])).toBe(3);
    expect(one({ type: "SequenceLength" }, "héllo😀")).toBe(6);
    expect(one({ type: "SequenceLength" }, { a: 1, b: 2 })).toBe(2);
    expect(one({ type: "SequenceLength" }, detections([[0, 0, 1, 1, 0.5, 0, "a"]]))).toBe(1);
    expectWorkflowError(() => one({ type: "SequenceLength" }, 5), "invalid_operation_input", "object of type 'int' has no len()");
  });

  it("SequenceElementsCount counts elements by their text", () => {
    expect(one({ type: "SequenceElementsCount" }, ["a", "b", "a"])).toEqual({ a: 2, b: 1 });
    expect(one({ type: "SequenceElementsCount" }, [1, 1.5, 1, null])).toEqual({ "1": 2, "1.5": 1, None: 1 });
    expectWorkflowError(() => one({ type: "SequenceElementsCount" }, 1), "invalid_operation_input");
  });

  it.each<[unknown, string | undefined, string]>([
    [["a", "b", "c"], ", ", "a, b, c"],
    [["a"], ", ", "a"],
    [[], ", ", ""],
    [[1, 2, 3], "-", "1-2-3"],
    [["a", "b"], "\n", "a\nb"],
    [["a", "b"], undefined, "a, b"],
    [[0.5, true, null], "|", "0.5|True|None"],
  ])("SequenceJoin(%j, %j) == %j", (value, separator, expected) => {
    expect(one({ type: "SequenceJoin", ...(separator === undefined ? {} : { separator }) }, value)).toBe(expected);
  });

  it("SequenceJoin refuses non-sequences and results over 1,000,000 characters", () => {
    expectWorkflowError(() => one({ type: "SequenceJoin", separator: ", " }, 123), "invalid_operation_input");
    expectWorkflowError(() => one({ type: "SequenceJoin", separator: ", " }, Array(3).fill("a".repeat(400_000))), "operation_error", "1000000");
    expect(one({ type: "SequenceJoin" }, ["a".repeat(10), "b".repeat(10)])).toBe(`${"a".repeat(10)}, ${"b".repeat(10)}`);
  });
});

describe("generic operations", () => {
  it("LookupTable replaces a value by its entry", () => {
    expect(one({ type: "LookupTable", lookup_table: { cat: "animal" } }, "cat")).toBe("animal");
    expect(one({ type: "LookupTable", lookup_table: { cat: { legs: 4 } } }, "cat")).toEqual({ legs: 4 });
  });

  it("LookupTable refuses missing keys (an int never matches a string key) and unhashable values", () => {
    expectWorkflowError(() => one({ type: "LookupTable", lookup_table: { cat: 1 } }, "dog"), "invalid_operation_input", "['cat']", "'dog'");
    expectWorkflowError(() => one({ type: "LookupTable", lookup_table: { "1": "one" } }, 1), "invalid_operation_input");
    expectWorkflowError(() => one({ type: "LookupTable", lookup_table: {} }, ["a"]), "invalid_operation_input", "unhashable type: 'list'");
  });

  it.each<[unknown, boolean]>([
    [1, true],
    [0, false],
    [0.0001, true],
    [null, false],
    ["", false],
    ["false", true], // Python bool() of any non-empty string
    [[], false],
    [[0], true],
    [{}, false],
    [true, true],
  ])("ToBoolean(%j) == %s", (value, expected) => {
    expect(one({ type: "ToBoolean" }, value)).toBe(expected);
  });

  it("ToBoolean of detections is whether there are any", () => {
    expect(one({ type: "ToBoolean" }, detections([]))).toBe(false);
    expect(one({ type: "ToBoolean" }, detections([[0, 0, 1, 1, 0.5, 0, "a"]]))).toBe(true);
  });

  it("ConvertDictionaryToJSON writes JSON as Python's json.dumps does", () => {
    expect(one({ type: "ConvertDictionaryToJSON" }, { a: 1, b: [true, null], c: "é\n", d: 0.5 })).toBe(
      '{"a": 1, "b": [true, null], "c": "\\u00e9\\n", "d": 0.5}',
    );
    expectWorkflowError(() => one({ type: "ConvertDictionaryToJSON" }, [1]), "invalid_operation_input", "a dictionary");
    expectWorkflowError(
      () => one({ type: "ConvertDictionaryToJSON" }, { d: detections([]) }),
      "operation_error",
      "Object of type Detections is not JSON serializable",
    );
  });

  it("RandomNumber ignores its input and stays within its bounds", () => {
    expect(one({ type: "RandomNumber", min_value: 3, max_value: 3 }, "anything")).toBe(3);
    for (let i = 0; i < 50; i++) {
      const x = one({ type: "RandomNumber", min_value: 5, max_value: 10 }, null) as number;
      expect(x).toBeGreaterThanOrEqual(5);
      expect(x).toBeLessThan(10);
      const unit = one({ type: "RandomNumber" }, null) as number;
      expect(unit).toBeGreaterThanOrEqual(0);
      expect(unit).toBeLessThan(1);
    }
  });
});

describe("ExtractImageProperty", () => {
  const image = { width: 640, height: 480, type: "numpy" };

  it.each([
    ["size", 307200],
    ["width", 640],
    ["height", 480],
    ["aspect_ratio", 640 / 480],
  ])("%s", (property_name, expected) => {
    expect(one({ type: "ExtractImageProperty", property_name }, image)).toBe(expected);
  });

  it("an image of height 0 has aspect ratio 0; a non-image is refused", () => {
    expect(one({ type: "ExtractImageProperty", property_name: "aspect_ratio" }, { width: 5, height: 0 })).toBe(0);
    expectWorkflowError(() => one({ type: "ExtractImageProperty", property_name: "size" }, "image.jpg"), "invalid_operation_input", "an image");
    expectWorkflowError(() => one({ type: "ExtractImageProperty", property_name: "size" }, detections([])), "invalid_operation_input");
  });
});

describe("ClassificationPropertyExtract", () => {
  const singleLabel = {
    image: { width: 128, height: 256 },
    predictions: [
      { class: "cat", class_id: 0, confidence: 0.6 },
      { class: "dog", class_id: 1, confidence: 0.4 },
    ],
    top: "cat",
    confidence: 0.6,
    parent_id: "some",
  };
  const multiLabel = (predicted_classes: string[]) => ({
    image: { width: 128, height: 256 },
    predictions: { cat: { class_id: 0, confidence: 0.6 }, animal: { class_id: 3, confidence: 0.0 }, dog: { class_id: 1, confidence: 0.4 } },
    predicted_classes,
  });
  const extract = (property_name: string, value: unknown) => one({ type: "ClassificationPropertyExtract", property_name }, value);

  it("single-label results", () => {
    expect(extract("top_class", singleLabel)).toBe("cat");
    expect(extract("top_class_confidence", singleLabel)).toBe(0.6);
    expect(extract("top_class_confidence_single", singleLabel)).toBe(0.6);
    expect(extract("all_classes", singleLabel)).toEqual(["cat", "dog"]);
    expect(extract("all_confidences", singleLabel)).toEqual([0.6, 0.4]);
  });

  it("multi-label results: lists for the top class, all classes ordered by class_id", () => {
    expect(extract("top_class", multiLabel([]))).toEqual([]);
    expect(extract("top_class", multiLabel(["cat", "dog"]))).toEqual(["cat", "dog"]);
    expect(extract("top_class_confidence", multiLabel([]))).toEqual([]);
    expect(extract("top_class_confidence", multiLabel(["dog"]))).toEqual([0.4]);
    expect(extract("top_class_confidence_single", multiLabel(["cat", "dog"]))).toBe(0.6);
    expect(extract("top_class_confidence_single", multiLabel([]))).toBe(0);
    expect(extract("all_classes", multiLabel(["dog"]))).toEqual(["cat", "dog", "animal"]);
    expect(extract("all_confidences", multiLabel(["dog"]))).toEqual([0.6, 0.4, 0.0]);
  });

  it("refuses what is not a classification", () => {
    expectWorkflowError(() => extract("top_class", null), "invalid_operation_input", "a classification prediction");
    expectWorkflowError(() => extract("all_classes", { predictions: 5 }), "operation_error", "malformed classification prediction");
    expectWorkflowError(() => extract("top_class_confidence", { predictions: {}, predicted_classes: ["x"] }), "operation_error", '"x"');
  });
});

describe("ExtractFrameMetadata", () => {
  const frame = { width: 64, height: 48, videoMetadata: { frame_number: 31, frame_timestamp: "2024-05-01T12:00:03.5", fps: 15 } };

  it.each([
    ["frame_number", 31],
    ["frame_timestamp", "2024-05-01T12:00:03.5"],
    ["seconds_since_start", 2],
  ])("%s", (property_name, expected) => {
    expect(one({ type: "ExtractFrameMetadata", property_name }, frame)).toBe(expected);
  });

  it("refuses what is not an image, a frame rate it cannot divide by, and an unknown property", () => {
    expectWorkflowError(() => one({ type: "ExtractFrameMetadata", property_name: "frame_number" }, 7), "invalid_operation_input", "an image");
    const unknownRate = { ...frame, videoMetadata: { ...frame.videoMetadata, fps: null } };
    expectWorkflowError(() => one({ type: "ExtractFrameMetadata", property_name: "seconds_since_start" }, unknownRate), "operation_error", "the frame rate is not known");
    expect(() => compileOperations([{ type: "ExtractFrameMetadata", property_name: "fps" }])).toThrow(/frame_number/);
  });
});
