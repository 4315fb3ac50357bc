/**
 * String Template: a Python `str.format` template with named placeholders filled from `data`,
 * after `data_operations` (e.g. SequenceJoin to turn a list into text).
 */
import { defineBlock, isSelectorLike, type Problem } from "@cvflow/engine";
import { invalidTemplate } from "../errors.js";
import { operationsListSchema } from "../uql/schema-refs.js";
import { FormatError } from "./python-format.js";
import { parseTemplate, placeholderNames, renderTemplate, TemplateError } from "./python-template.js";
import { unknownOperationTargets, variablesWithOperations, type DataOperations } from "./variables.js";

const MAX_RENDERED_LENGTH = 1_000_000;

function parse(template: string): ReturnType<typeof parseTemplate> {
  try {
    return parseTemplate(template);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    throw invalidTemplate(`could not parse template: ${error.message}; write {{ and }} for literal braces`);
  }
}

function undeclared(names: Set<string>, declared: readonly string[]): string[] {
  return [...names].filter((name) => !declared.includes(name)).sort();
}

function missingMessage(missing: readonly string[], declared: readonly string[]): string {
  return `the template refers to ${missing.map((n) => `{${n}}`).join(", ")}, which "data" does not define (it defines: ${[...declared].sort().join(", ") || "nothing"})`;
}

/** A literal template (not a selector) is checked against the data names before anything runs. */
function validateTemplate(step: Readonly<Record<string, unknown>>): Problem[] {
  const { template, data } = step;
  if (typeof template !== "string" || isSelectorLike(template)) return [];
  try {
    const declared = data !== null && typeof data === "object" ? Object.keys(data) : [];
    const missing = undeclared(placeholderNames(parse(template)), declared);
    return missing.length ? [{ code: "invalid_template", property: "template", message: missingMessage(missing, declared) }] : [];
  } catch (error) {
    return [{ code: "invalid_template", property: "template", message: (error as Error).message }];
  }
}

export const stringTemplateBlock = defineBlock<{
  template: unknown;
  data: Record<string, unknown>;
  data_operations: DataOperations;
}>({
  manifest: {
    type: "roboflow_core/string_template@v1",
    name: "String Template",
    description: "Builds a string from a template with {name} placeholders filled from data, e.g. a prompt.",
    family: "formatters",
    fields: {
      template: {
        description: "Python format string with named placeholders; {{ and }} are literal braces.",
        kinds: ["string"],
        schema: { type: "string" },
        required: true,
      },
      data: {
        description: "The values placeholders refer to, by name.",
        shape: "dict",
        kinds: ["*"],
        schema: { type: ["string", "number", "boolean"] },
        default: {},
      },
      data_operations: {
        description: "Operations applied to data values (by name) before they are substituted.",
        schema: { type: "object", additionalProperties: operationsListSchema },
        default: {},
      },
    },
    outputs: [{ name: "output", kinds: ["string"] }],
  },
  validate: (step) => [...unknownOperationTargets(step, "data", "data_operations"), ...validateTemplate(step)],
  run: ({ template, data, data_operations }) => {
    if (typeof template !== "string") throw invalidTemplate(`expected template to be a string, got ${typeof template}`);
    const variables = variablesWithOperations(data, data_operations, "/data_operations");
    const pieces = parse(template);
    const declared = Object.keys(variables);
    const missing = undeclared(placeholderNames(pieces), declared);
    if (missing.length) throw invalidTemplate(missingMessage(missing, declared));
    let rendered: string;
    try {
      rendered = renderTemplate(pieces, variables);
    } catch (error) {
      if (!(error instanceof FormatError)) throw error;
      throw invalidTemplate(`could not render template: ${error.message}; check that format specs fit the values' types`);
    }
    if (rendered.length > MAX_RENDERED_LENGTH) {
      throw invalidTemplate(`the rendered text has ${rendered.length} characters, more than the ${MAX_RENDERED_LENGTH} allowed`);
    }
    return { output: rendered };
  },
});
