/** Number operations: casting, rounding, multiplication and division, with Python's rules. */
import { invalidOperationInput } from "../../errors.js";
import { defineOperation } from "../operation-spec.js";
import { isPythonInt, parsePythonFloat, roundHalfEven, roundIntHalfEven } from "../../common/python-numbers.js";

/** Python `float(value)`; undefined where Python raises. */
function toFloat(value: unknown): number | undefined {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (typeof value === "string") return parsePythonFloat(value);
  return undefined;
}

const toNumber = defineOperation<{ cast_to: "int" | "float" }>({
  type: "ToNumber",
  description: "Python float(value), truncated towards zero when cast_to is int.",
  properties: { cast_to: { enum: ["int", "float"] } },
  required: ["cast_to"],
  compile: ({ cast_to }, { at }) => (value) => {
    const number = toFloat(value);
    if (number === undefined) throw invalidOperationInput("ToNumber", at, `a value that casts into ${cast_to}`, value);
    if (cast_to === "float") return number;
    if (!Number.isFinite(number)) throw invalidOperationInput("ToNumber", at, "a finite number to cast into int", value);
    return Math.trunc(number);
  },
});

const numberRound = defineOperation<{ decimal_digits: number }>({
  type: "NumberRound",
  description: "Python round(value, decimal_digits): ties go to the even digit.",
  properties: { decimal_digits: { type: "integer" } },
  required: ["decimal_digits"],
  compile: ({ decimal_digits }, { at }) => (value) => {
    if (typeof value === "boolean") return Number(value);
    if (typeof value !== "number") throw invalidOperationInput("NumberRound", at, "a number", value);
    return isPythonInt(value) ? roundIntHalfEven(value, decimal_digits) : roundHalfEven(value, decimal_digits);
  },
});

const multiply = defineOperation<{ other: number }>({
  type: "Multiply",
  description: "value * other; as in Python, a string or list times an integer repeats it.",
  properties: { other: { type: "number" } },
  required: ["other"],
  compile: ({ other }, { at }) => (value) => {
    if (typeof value === "number" || typeof value === "boolean") return Number(value) * other;
    if (isPythonInt(other) && typeof value === "string") return value.repeat(Math.max(0, other));
    if (isPythonInt(other) && Array.isArray(value)) return Array.from({ length: Math.max(0, other) }, () => value).flat(1);
    throw invalidOperationInput("Multiply", at, `a value that can be multiplied by ${other}`, value);
  },
});

const divide = defineOperation<{ other: number }>({
  type: "Divide",
  description: "value / other (true division).",
  properties: { other: { type: "number" } },
  required: ["other"],
  compile: ({ other }, { at }) => (value) => {
    if (typeof value !== "number" && typeof value !== "boolean") {
      throw invalidOperationInput("Divide", at, `a number to divide by ${other}`, value);
    }
    if (other === 0) throw invalidOperationInput("Divide", at, "a divisor other than 0", other);
    return Number(value) / other;
  },
});

export const numberOperations = [toNumber, numberRound, multiply, divide];
