/** String operations: case changes, `str()`, Python slicing and regular-expression search. */
import { invalidOperationInput, operationFailed } from "../../errors.js";
import { defineOperation } from "../operation-spec.js";
import { pyStr } from "../python-values.js";

const stringToLowerCase = defineOperation({
  type: "StringToLowerCase",
  description: "Lower-cases a string.",
  compile: (_, { at }) => (value) => {
    if (typeof value !== "string") throw invalidOperationInput("StringToLowerCase", at, "a string", value);
    return value.toLowerCase();
  },
});

const stringToUpperCase = defineOperation({
  type: "StringToUpperCase",
  description: "Upper-cases a string.",
  compile: (_, { at }) => (value) => {
    if (typeof value !== "string") throw invalidOperationInput("StringToUpperCase", at, "a string", value);
    return value.toUpperCase();
  },
});

const toString = defineOperation({
  type: "ToString",
  description: "Python's str() of any value.",
  compile: () => (value) => pyStr(value),
});

const stringSubSequence = defineOperation<{ start: number; end: number }>({
  type: "StringSubSequence",
  // The default end of -1 drops the last character: Python's value[0:-1], as in Roboflow.
  description: "Python slice value[start:end] of a string; negative indices count from the end.",
  properties: { start: { type: "integer", default: 0 }, end: { type: "integer", default: -1 } },
  compile: ({ start, end }, { at }) => (value) => {
    if (typeof value !== "string") throw invalidOperationInput("StringSubSequence", at, "a string", value);
    // Array.prototype.slice normalises negative and out-of-range bounds exactly as Python does
    return [...value].slice(start, end).join("");
  },
});

/** Python's named-group syntax, which JavaScript spells differently. */
function toJavaScriptRegex(pattern: string): string {
  return pattern.replace(/\(\?P</g, "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>");
}

const stringMatches = defineOperation<{ regex: string }>({
  type: "StringMatches",
  description: "Whether the regular expression matches anywhere in the string (Python re.search).",
  properties: { regex: { type: "string" } },
  required: ["regex"],
  compile: ({ regex }, { at }) => {
    let pattern: RegExp;
    try {
      pattern = new RegExp(toJavaScriptRegex(regex));
    } catch (error) {
      throw operationFailed("StringMatches", at, `invalid regular expression ${JSON.stringify(regex)}: ${(error as Error).message}`);
    }
    return (value) => {
      if (typeof value !== "string") throw invalidOperationInput("StringMatches", at, "a string", value);
      return pattern.test(value);
    };
  },
});

export const stringOperations = [stringToLowerCase, stringToUpperCase, toString, stringSubSequence, stringMatches];
