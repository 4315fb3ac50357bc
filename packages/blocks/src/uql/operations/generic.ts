/** Operations on any value: table lookup, truthiness, JSON text of a dictionary, a random number. */
import { guarded, invalidOperationInput, operationFailed } from "../../errors.js";
import { defineOperation } from "../operation-spec.js";
import { PythonTypeError, pyJsonDumps, pyLookup, pyStr, pyTruthy } from "../python-values.js";
import { isPlainObject } from "../values.js";

const lookupTable = defineOperation<{ lookup_table: Record<string, unknown> }>({
  type: "LookupTable",
  description: "Replaces the value by its entry in lookup_table; a value that is not a key is an error.",
  properties: { lookup_table: { type: "object" } },
  required: ["lookup_table"],
  compile: ({ lookup_table }, { at }) => (value) => {
    const hit = guarded("LookupTable", at, "a value usable as a key", value, () => pyLookup(lookup_table, value));
    if (!hit.found) throw invalidOperationInput("LookupTable", at, `one of the lookup_table keys ${pyStr(Object.keys(lookup_table))}`, value);
    return hit.value;
  },
});

const toBoolean = defineOperation({
  type: "ToBoolean",
  // Python bool(): so the string "false" is true, and an empty list or detections false
  description: "Python bool(value): false for None, 0, and empty strings, lists, dictionaries or detections.",
  compile: () => (value) => pyTruthy(value),
});

const convertDictionaryToJson = defineOperation({
  type: "ConvertDictionaryToJSON",
  description: "The dictionary as JSON text, as Python's json.dumps writes it.",
  compile: (_, { at }) => (value) => {
    if (!isPlainObject(value)) throw invalidOperationInput("ConvertDictionaryToJSON", at, "a dictionary", value);
    try {
      return pyJsonDumps(value);
    } catch (error) {
      if (error instanceof PythonTypeError) throw operationFailed("ConvertDictionaryToJSON", at, error.message);
      throw error;
    }
  },
});

const randomNumber = defineOperation<{ min_value: number; max_value: number }>({
  type: "RandomNumber",
  description: "Ignores the value and returns a uniform random number between min_value and max_value (for sampling).",
  properties: { min_value: { type: "number", default: 0 }, max_value: { type: "number", default: 1 } },
  compile: ({ min_value, max_value }) => () =>
    min_value === max_value ? min_value : min_value + Math.random() * Math.abs(max_value - min_value),
});

export const genericOperations = [lookupTable, toBoolean, convertDictionaryToJson, randomNumber];
