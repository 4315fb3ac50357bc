import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { fixedDigits, floatRepr, numberStr, parsePythonFloat, roundHalfEven, roundIntHalfEven } from "../src/common/python-numbers.js";

describe("roundHalfEven (Python round on a float)", () => {
  it.each([
    [0.125, 2, 0.12], // an exact binary tie goes to the even digit
    [0.375, 2, 0.38],
    [2.675, 2, 2.67], // 2.675 is stored as 2.67499999...
    [2.5, 0, 2],
    [3.5, 0, 4],
    [-2.5, 0, -2],
    [1234.5678, -2, 1200],
    [1250.5, -2, 1300],
    [0.1 + 0.2, 1, 0.3],
    [1.23456789, 4, 1.2346],
  ])("round(%s, %s) == %s", (x, digits, expected) => {
    expect(roundHalfEven(x, digits)).toBe(expected);
  });

  it("leaves infinities, NaN and values already that precise alone", () => {
    expect(roundHalfEven(Infinity, 2)).toBe(Infinity);
    expect(roundHalfEven(NaN, 2)).toBeNaN();
    expect(roundHalfEven(0.5, 10)).toBe(0.5);
  });
});

describe("roundIntHalfEven (Python round on an int)", () => {
  it.each([
    [1250, -2, 1200],
    [1350, -2, 1400],
    [-1250, -2, -1200],
    [1251, -2, 1300],
    [7, 2, 7],
  ])("round(%s, %s) == %s", (n, digits, expected) => {
    expect(roundIntHalfEven(n, digits)).toBe(expected);
  });
});

describe("floatRepr (Python repr of a float)", () => {
  it.each([
    [0.5, "0.5"],
    [-0.5, "-0.5"],
    [0.1 + 0.2, "0.30000000000000004"],
    [0.0001, "0.0001"],
    [0.00001, "1e-05"],
    [1.5e-7, "1.5e-07"],
    [1e16, "1e+16"],
    [1.5e300, "1.5e+300"],
    [2 ** 53 + 2, "9007199254740994.0"],
    [1234.5, "1234.5"],
    [-0, "-0.0"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
    [NaN, "nan"],
  ])("repr(%s) == %s", (x, expected) => {
    expect(floatRepr(x)).toBe(expected);
  });

  it("numberStr prints safe integers as Python ints", () => {
    expect(numberStr(3)).toBe("3");
    expect(numberStr(-42)).toBe("-42");
    expect(numberStr(2.5)).toBe("2.5");
  });
});

describe("parsePythonFloat (Python float(text))", () => {
  it.each([
    ["42", 42],
    [" 3.5\n", 3.5],
    ["-3.9", -3.9],
    ["+.5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["1_000.5", 1000.5],
    ["inf", Infinity],
    ["-Infinity", -Infinity],
  ])("float(%j) == %s", (text, expected) => {
    expect(parsePythonFloat(text)).toBe(expected);
  });

  it("reads nan", () => {
    expect(parsePythonFloat("NaN")).toBeNaN();
  });

  it.each(["", ".", "abc", "1__0", "_1", "1e", "0x10", "1,5"])("float(%j) raises", (text) => {
    expect(parsePythonFloat(text)).toBeUndefined();
  });
});

describe("roundHalfEven to a whole number (the pixel loops' fast path)", () => {
  it("agrees with the exact decimal rounding on any double", () => {
    const exact = (x: number): number => (x === 0 ? x : (x < 0 ? -1 : 1) * Number(fixedDigits(x, 0)));
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e17, max: 1e17 }), (x) => Object.is(roundHalfEven(x), exact(x))), { numRuns: 5000 });
    for (const tie of [-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 4503599627370495.5]) expect(roundHalfEven(tie)).toBe(exact(tie));
  });
});
