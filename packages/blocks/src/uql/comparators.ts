/**
 * The comparators of binary statements and the operators of unary ones, under Roboflow's exact
 * names, with Python's semantics (see python-values.ts). They may throw PythonTypeError; the
 * statement compiler reports that as an evaluation error naming the comparator.
 */
import { PythonTypeError, pyCompare, pyContains, pyEquals, pyIterate, pyLen } from "./python-values.js";
import { pythonTypeName } from "./values.js";
import { isInZone } from "./zone.js";

type Binary = (left: unknown, right: unknown) => boolean;

function strings(name: string, test: (a: string, b: string) => boolean): Binary {
  return (a, b) => {
    if (typeof a !== "string" || typeof b !== "string") {
      throw new PythonTypeError(`${name} needs two strings, got ${pythonTypeName(a)} and ${pythonTypeName(b)}`);
    }
    return test(a, b);
  };
}

const equal: Binary = (a, b) => pyEquals(a, b);
const notEqual: Binary = (a, b) => !pyEquals(a, b);

export const BINARY_COMPARATORS: Readonly<Record<string, Binary>> = {
  "==": equal,
  "(Number) ==": equal,
  "!=": notEqual,
  "(Number) !=": notEqual,
  // pyCompare is NaN for NaN operands, and every comparison with NaN is false
  "(Number) >": (a, b) => pyCompare(a, b) > 0,
  "(Number) >=": (a, b) => pyCompare(a, b) >= 0,
  "(Number) <": (a, b) => pyCompare(a, b) < 0,
  "(Number) <=": (a, b) => pyCompare(a, b) <= 0,
  // Python's b[0] <= a <= b[1]: the bounds of an inclusive range, given as a list [min, max]
  "(Number) in range": (a, b) => {
    if (!Array.isArray(b) || b.length < 2) throw new PythonTypeError(`the range must be a list [min, max], got ${pythonTypeName(b)}${Array.isArray(b) ? ` of ${b.length}` : ""}`);
    return pyCompare(b[0], a) <= 0 && pyCompare(a, b[1]) <= 0;
  },
  "(String) startsWith": strings("startsWith", (a, b) => a.startsWith(b)),
  "(String) endsWith": strings("endsWith", (a, b) => a.endsWith(b)),
  "(String) contains": (a, b) => pyContains(a, b),
  "in (Sequence)": (a, b) => pyContains(b, a),
  "any in (Sequence)": (a, b) => pyIterate(a).some((item) => pyContains(b, item)),
  "all in (Sequence)": (a, b) => pyIterate(a).every((item) => pyContains(b, item)),
  "(Detection) in zone": isInZone,
};

type Unary = (operand: unknown) => boolean;

export const UNARY_OPERATORS: Readonly<Record<string, Unary>> = {
  Exists: (a) => a !== null && a !== undefined,
  DoesNotExist: (a) => a === null || a === undefined,
  "(Boolean) is True": (a) => a === true,
  "(Boolean) is False": (a) => a === false,
  "(Sequence) is empty": (a) => pyLen(a) === 0,
  "(Sequence) is not empty": (a) => pyLen(a) > 0,
};
