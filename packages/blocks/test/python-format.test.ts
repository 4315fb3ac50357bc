import { describe, expect, it } from "vitest";
import { FormatError, formatValue } from "../src/formatters/python-format.js";
import { parseTemplate, placeholderNames, renderTemplate, TemplateError } from "../src/formatters/python-template.js";

describe("formatValue (Python format(value, spec))", () => {
  it.each<[unknown, string, string]>([
    [0.98765, ".2f", "0.99"],
    [0.125, ".2f", "0.12"], // exact tie: Python goes to even, toFixed would give 0.13
    [0.375, ".2f", "0.38"],
    [1234567.891, ",.2f", "1,234,567.89"],
    [3.14159, "=+10.2f", "+     3.14"],
    [-3.14159, "010.2f", "-000003.14"],
    [-0.0001, ".2f", "-0.00"],
    [-0.0001, "z.2f", "0.00"],
    [0.5, "%", "50.000000%"],
    [0.5, ".1%", "50.0%"],
    [12345.678, "e", "1.234568e+04"],
    [12345.678, ".2E", "1.23E+04"],
    [0.0001234, "g", "0.0001234"],
    [0.00001234, "g", "1.234e-05"],
    [123456789.5, "g", "1.23457e+08"],
    [100000, "g", "100000"],
    [1000000, "g", "1e+06"],
    [123.456, ".3", "1.23e+02"], // type-less with precision keeps a decimal, so switches earlier
    [1.5, ".3", "1.5"],
    [2, ".3", "2.0"],
    [0.5, "", "0.5"],
    [0.5, ">6", "   0.5"],
    [42, "05d", "00042"],
    [-42, "05d", "-0042"],
    [42, "+d", "+42"],
    [255, "#x", "0xff"],
    [255, "X", "FF"],
    [5, "#b", "0b101"],
    [1000000, "_", "1_000_000"],
    [1000000, ",", "1,000,000"],
    [65, "c", "A"],
    [7, ".2f", "7.00"],
    ["ok", ">10", "        ok"],
    ["ok", "^6", "  ok  "],
    ["ok", "*^7", "**ok***"],
    ["abc", ".2", "ab"],
    ["ab", "05", "ab000"],
    [1, "<05", "10000"],
    [-1, "x=05", "-xxx1"],
    [true, "", "True"],
    [true, ">5", "    1"],
    [null, "", "None"],
    [["a", 1], "", "['a', 1]"],
  ])("format(%j, %j) == %j", (value, spec, expected) => {
    expect(formatValue(value, spec)).toBe(expected);
  });

  it.each<[unknown, string, string]>([
    [1.5, "d", "Unknown format code 'd' for object of type 'float'"],
    ["s", "+", "Sign not allowed in string format specifier"],
    ["s", "=5", "'=' alignment not allowed in string format specifier"],
    [5, ".2d", "Precision not allowed in integer format specifier"],
    [5, "s", "Unknown format code 's' for object of type 'int'"],
    [255, ",x", "Cannot specify ',' with 'x'."],
    [null, ">5", "unsupported format string passed to NoneType.__format__"],
    [[1], "^3", "unsupported format string passed to list.__format__"],
    [1, "!!", "Invalid format specifier"],
    ["x", "1000000000", "at most 10000"],
    [1.5, ".999999999f", "at most 10000"],
  ])("format(%j, %j) raises %j", (value, spec, message) => {
    expect(() => formatValue(value, spec)).toThrow(FormatError);
    expect(() => formatValue(value, spec)).toThrow(message);
  });
});

describe("Python templates", () => {
  const render = (template: string, variables: Record<string, unknown>) => renderTemplate(parseTemplate(template), variables);

  it("fills named placeholders, literal braces and nested format specs", () => {
    expect(render("Found {count} instances of {label}", { count: 3, label: "person" })).toBe("Found 3 instances of person");
    expect(render('Answer in JSON: {{"class": "{label}"}}', { label: "person" })).toBe('Answer in JSON: {"class": "person"}');
    expect(render("Confidence: {confidence:{width}}", { confidence: 0.98765, width: ".2f" })).toBe("Confidence: 0.99");
    expect(render("{v!r} {v!s} {w!a}", { v: "it", w: "é" })).toBe("'it' it '\\xe9'");
  });

  it("collects every placeholder name, including those inside format specs", () => {
    expect([...placeholderNames(parseTemplate("{a} {b:{c}} {{d}}"))].sort()).toEqual(["a", "b", "c"]);
  });

  it.each([
    ["Hello {name", "expected '}' before end of string"],
    ["Hello }", "Single '}' encountered in format string"],
    ["Hello {", "Single '{' encountered in format string"],
    ["Hello {}", "positional placeholders"],
    ["Hello {0}", "positional placeholders"],
    ["{x:{0}}", "positional placeholders"],
    ["{name.__class__}", "attribute or index access"],
    ["{names[0]}", "attribute or index access"],
    ["{x:{y.__class__}}", "attribute or index access"],
    ["{x!q}", "Unknown conversion specifier q"],
    ["{x!rr}", "expected ':' after conversion specifier"],
    ["{a:{b:{c}}}", "Max string recursion exceeded"],
  ])("refuses %j", (template, message) => {
    expect(() => parseTemplate(template)).toThrow(TemplateError);
    expect(() => parseTemplate(template)).toThrow(message);
  });
});
