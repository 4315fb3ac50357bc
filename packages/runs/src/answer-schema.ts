/**
 * An answer to a `wait_for_input` step, checked against the JSON Schema the step asked with
 * (Ajv, every problem at its JSON pointer into the answer).
 */
import { Ajv, type ValidateFunction } from "ajv";
import { canonicalHash } from "@cvflow/engine";
import type { AnswerIssue } from "./errors.js";

// strict: false — a step's schema may carry annotations Ajv does not know (titles, examples of other drafts).
const ajv = new Ajv({ allErrors: true, strict: false });
/** Compiled validators by the schema's canonical hash: a waiting step is usually answered more than once only by mistake, but compiling is the slow part. */
const compiled = new Map<string, ValidateFunction>();
const MAX_COMPILED = 256;

/** The answer's problems against `schema`; empty when it fits. */
export function answerIssues(schema: Record<string, unknown>, answer: unknown): AnswerIssue[] {
  let validate: ValidateFunction;
  try {
    validate = validatorOf(schema);
  } catch (error) {
    return [{ pointer: "", message: `the step's answer_schema is not a valid JSON Schema: ${(error as Error).message}` }];
  }
  if (validate(answer)) return [];
  return (validate.errors ?? []).map((e) => ({ pointer: e.instancePath, message: e.message ?? "does not fit the schema" }));
}

function validatorOf(schema: Record<string, unknown>): ValidateFunction {
  const key = canonicalHash(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (compiled.size >= MAX_COMPILED) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, validate);
  }
  return validate;
}
