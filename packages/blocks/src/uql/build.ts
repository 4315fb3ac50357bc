/**
 * The builders of already validated definitions: a chain of operations into one function, and a
 * statement (StatementGroup, BinaryStatement or UnaryStatement) into a predicate over named
 * values. They nest in each other (an operation may hold a statement, a statement's operands hold
 * operations), so they live together; compile-operations.ts and compile-statement.ts validate a
 * definition and build it here, once.
 */
import { WorkflowError } from "@cvflow/engine";
import { BINARY_COMPARATORS, UNARY_OPERATORS } from "./comparators.js";
import { evaluationFailed, undeclaredSymbol } from "../errors.js";
import { withDefaults, type Globals, type OperationContext, type OperationDefinition, type OperationFunction, type StatementFunction } from "./operation-spec.js";
import { OPERATIONS } from "./operations-schema.js";

const identity: OperationFunction = (value) => value;

/** Builds a validated chain; `at` is the JSON pointer of the list. */
export function buildChain(definitions: readonly OperationDefinition[], at: string): OperationFunction {
  const steps = definitions.map((definition, i) => {
    // validated before building: the type is one of OPERATIONS
    const spec = OPERATIONS.get(definition.type)!;
    const ctx: OperationContext = { at: `${at}/${i}`, compileChain: buildChain, compileStatement: buildStatement };
    return spec.compile(withDefaults(spec, definition), ctx);
  });
  if (steps.length === 0) return identity;
  return (value, globals) => steps.reduce((current, step) => step(current, globals), value);
}

type Operand =
  | { type: "StaticOperand"; value: unknown; operations?: OperationDefinition[] }
  | { type: "DynamicOperand"; operand_name?: string; operations?: OperationDefinition[] };

type Statement =
  | { type: "StatementGroup"; statements: Statement[]; operator?: "and" | "or" }
  | { type: "BinaryStatement"; left_operand: Operand; comparator: { type: string }; right_operand: Operand; negate?: boolean }
  | { type: "UnaryStatement"; operand: Operand; operator: { type: string }; negate?: boolean };

type OperandFunction = (params: Globals) => unknown;

function buildOperand(operand: Operand, at: string): OperandFunction {
  const chain = buildChain(operand.operations ?? [], `${at}/operations`);
  if (operand.type === "StaticOperand") return (params) => chain(operand.value, params);
  const name = operand.operand_name ?? "_";
  return (params) => {
    if (!Object.hasOwn(params, name)) throw undeclaredSymbol(name, `${at}/operand_name`, Object.keys(params));
    return chain(params[name], params);
  };
}

/** Runs a comparator; what Python would raise inside it becomes an evaluation error. */
function evaluate(comparator: string, at: string, test: () => boolean): boolean {
  try {
    return test();
  } catch (error) {
    if (error instanceof WorkflowError) throw error;
    throw evaluationFailed(comparator, at, (error as Error).message);
  }
}

/** Builds an already validated statement; `at` is its JSON pointer. */
export function buildStatement(definition: unknown, at: string): StatementFunction {
  const statement = definition as Statement;
  switch (statement.type) {
    case "StatementGroup": {
      const parts = statement.statements.map((s, i) => buildStatement(s, `${at}/statements/${i}`));
      const all = statement.operator === "and";
      // Every statement is evaluated, as Roboflow does: a later one's error is not hidden by an
      // earlier result that already decides the group.
      return (params) => {
        const results = parts.map((part) => part(params));
        return all ? results.every(Boolean) : results.some(Boolean);
      };
    }
    case "BinaryStatement": {
      const left = buildOperand(statement.left_operand, `${at}/left_operand`);
      const right = buildOperand(statement.right_operand, `${at}/right_operand`);
      const name = statement.comparator.type;
      const compare = BINARY_COMPARATORS[name]!;
      const negate = statement.negate ?? false;
      return (params) => {
        const a = left(params);
        const b = right(params);
        return evaluate(name, `${at}/comparator`, () => compare(a, b)) !== negate;
      };
    }
    case "UnaryStatement": {
      const operand = buildOperand(statement.operand, `${at}/operand`);
      const name = statement.operator.type;
      const test = UNARY_OPERATORS[name]!;
      const negate = statement.negate ?? false;
      return (params) => {
        const value = operand(params);
        return evaluate(name, `${at}/operator`, () => test(value)) !== negate;
      };
    }
  }
}
