/**
 * Named data plus per-name operations — the `data` / `data_operations` pair of Expression and
 * String Template, and `columns_data` / `columns_operations` of the CSV Formatter.
 */
import { pointerSegment, type Problem } from "@cvflow/engine";
import { compileOperations } from "../uql/compile-operations.js";
import { undeclaredSymbol } from "../errors.js";
import type { OperationDefinition } from "../uql/operation-spec.js";
import { isPlainObject } from "../uql/values.js";

export type DataOperations = Readonly<Record<string, readonly OperationDefinition[]>>;

/** A copy of `data` with each value named in `operations` passed through its chain. */
export function variablesWithOperations(
  data: Readonly<Record<string, unknown>>,
  operations: DataOperations,
  at: string,
): Record<string, unknown> {
  const variables = { ...data };
  for (const [name, chain] of Object.entries(operations)) {
    const where = `${at}/${pointerSegment(name)}`;
    if (!Object.hasOwn(variables, name)) throw undeclaredSymbol(name, where, Object.keys(variables));
    variables[name] = compileOperations(chain, where)(variables[name], {});
  }
  return variables;
}

/** Compile-time check: operations for a name the data does not define could never run. */
export function unknownOperationTargets(step: Readonly<Record<string, unknown>>, dataField: string, operationsField: string): Problem[] {
  const data = step[dataField] ?? {};
  const operations = step[operationsField];
  if (!isPlainObject(data) || !isPlainObject(operations)) return [];
  return Object.keys(operations)
    .filter((name) => !Object.hasOwn(data, name))
    .map((name) => ({
      code: "undeclared_symbol",
      property: operationsField,
      message: `"${operationsField}" transforms "${name}", which "${dataField}" does not define (it defines: ${Object.keys(data).join(", ") || "nothing"})`,
    }));
}
