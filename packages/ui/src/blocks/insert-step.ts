/**
 * Adds a step of a block to a definition's text, as the person would have typed it: appended to
 * `steps` (of the definition, bare or wrapped as `{"specification": ...}`), indented like the
 * steps before it, and nothing else of the text touched. The step has a unique name and the
 * block's required fields: their defaults, the workflow's image input for an image field, else a
 * placeholder selector that the validator flags at that field (`$steps.TODO...`), so the person
 * sees what is left to fill in. Pure (no DOM): the catalogue and the editor both call it.
 */
import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, type JSONPath, type Node } from "jsonc-parser";
import type { BlockDescription } from "@cvflow/wire";
import { isRecord } from "@cvflow/wire";
import { blockFields, type BlockField } from "./block-fields.js";

interface InsertedStep {
  text: string;
  stepName: string;
}

const IMAGE_INPUT_TYPES = new Set(["WorkflowImage", "InferenceImage"]);
/** Where a required field's value is left for the person to choose: a step that does not exist. */
export const PLACEHOLDER_STEP = "TODO";

export class InsertStepError extends Error {
  override name = "InsertStepError";
}

export function insertStep(definitionText: string, block: BlockDescription, stepName?: string): InsertedStep {
  const root = parseTree(definitionText);
  if (root?.type !== "object") throw new InsertStepError("The definition is not a JSON object: fix it before adding a step.");
  const wrapped = findNodeAtLocation(root, ["specification"]);
  const base: JSONPath = wrapped?.type === "object" && !findNodeAtLocation(root, ["steps"]) ? ["specification"] : [];
  const definition: unknown = getNodeValue(base.length ? wrapped! : root);
  const steps = isRecord(definition) && Array.isArray(definition["steps"]) ? (definition["steps"] as unknown[]) : [];
  const taken = new Set(steps.map((step) => (isRecord(step) ? step["name"] : undefined)).filter((name) => typeof name === "string"));
  const name = uniqueName(stepName?.trim() || snakeCase(block.human_friendly_block_name), taken);
  const step = stepOf(block, name, imageInput(definition));
  const stepsNode = findNodeAtLocation(root, [...base, "steps"]);
  const text = stepsNode?.type === "array" ? appendTo(definitionText, stepsNode, step) : addSteps(definitionText, [...base, "steps"], step);
  return { text, stepName: name };
}

function stepOf(block: BlockDescription, name: string, image: string | undefined): Record<string, unknown> {
  const step: Record<string, unknown> = { type: block.manifest_type_identifier, name };
  for (const field of blockFields(block)) if (field.required) step[field.name] = requiredValue(field, image);
  return step;
}

function requiredValue(field: BlockField, image: string | undefined): unknown {
  if (field.hasDefault) return field.default;
  const one =
    field.selector === "data" && field.kinds.includes("image") && image
      ? `$inputs.${image}`
      : field.selector === "step"
        ? `$steps.${PLACEHOLDER_STEP}`
        : `$steps.${PLACEHOLDER_STEP}.${field.name}`;
  return field.shape === "list" ? [one] : field.shape === "dict" ? { [field.name]: one } : one;
}

/** The first image input's name, if the definition declares one. */
function imageInput(definition: unknown): string | undefined {
  if (!isRecord(definition) || !Array.isArray(definition["inputs"])) return undefined;
  const input = definition["inputs"].find((item) => isRecord(item) && IMAGE_INPUT_TYPES.has(String(item["type"])) && typeof item["name"] === "string");
  return isRecord(input) ? String(input["name"]) : undefined;
}

/** "Object Detection Model" → "object_detection_model". */
export function snakeCase(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "") || "step"
  );
}

function uniqueName(wanted: string, taken: ReadonlySet<unknown>): string {
  if (!taken.has(wanted)) return wanted;
  let n = 2;
  while (taken.has(`${wanted}_${n}`)) n++;
  return `${wanted}_${n}`;
}

/** The step after the array's last element (or as its only one), indented like its neighbours. */
function appendTo(text: string, steps: Node, step: Record<string, unknown>): string {
  const unit = indentUnit(text);
  const last = steps.children?.at(-1);
  if (last) {
    const indent = lineIndent(text, last.offset);
    const end = last.offset + last.length;
    return text.slice(0, end) + `,\n${indent}${stringify(step, unit, indent)}` + text.slice(end);
  }
  // An empty array: the step on its own line inside the brackets, which keep their places.
  const outer = lineIndent(text, steps.offset);
  const open = steps.offset + 1;
  const close = steps.offset + steps.length - 1;
  return text.slice(0, open) + `\n${outer}${unit}${stringify(step, unit, outer + unit)}\n${outer}` + text.slice(close);
}

/** A definition without `steps` gets one (jsonc-parser places the new property). */
function addSteps(text: string, path: JSONPath, step: Record<string, unknown>): string {
  const unit = indentUnit(text);
  const formattingOptions = { insertSpaces: !unit.startsWith("\t"), tabSize: unit.startsWith("\t") ? 1 : unit.length, eol: text.includes("\r\n") ? "\r\n" : "\n" };
  return applyEdits(text, modify(text, path, [step], { formattingOptions }));
}

function stringify(value: unknown, unit: string, indent: string): string {
  return JSON.stringify(value, null, unit).replaceAll("\n", `\n${indent}`);
}

/** The leading whitespace of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** The text's indentation step: its first indented line's leading whitespace, else two spaces. */
function indentUnit(text: string): string {
  const found = /\n([ \t]+)\S/.exec(text);
  return found ? found[1]! : "  ";
}
