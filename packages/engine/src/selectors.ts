/**
 * Selectors: `$inputs.name`, `$steps.name`, `$steps.name.property`, `$steps.name.*`.
 * Only strings that start with `$inputs.` or `$steps.` are selectors; any other string is a
 * literal (a template may well contain "$5").
 */

export type Selector =
  | { type: "input"; name: string }
  | { type: "step"; step: string; property?: string };

const NAME = /^[A-Za-z0-9_\-]+$/;

export function isSelectorLike(value: unknown): value is string {
  return typeof value === "string" && (value.startsWith("$inputs.") || value.startsWith("$steps."));
}

/** Parses a selector-like string; returns an error message when it is malformed. */
export function parseSelector(text: string): Selector | { error: string } {
  const parts = text.split(".");
  if (parts[0] === "$inputs") {
    if (parts.length !== 2 || !NAME.test(parts[1]!)) return { error: `"${text}" is not a valid input selector; expected $inputs.<name>` };
    return { type: "input", name: parts[1]! };
  }
  if (parts.length === 2 && NAME.test(parts[1]!)) return { type: "step", step: parts[1]! };
  if (parts.length === 3 && NAME.test(parts[1]!) && (parts[2] === "*" || NAME.test(parts[2]!))) {
    return { type: "step", step: parts[1]!, property: parts[2]! };
  }
  return { error: `"${text}" is not a valid step selector; expected $steps.<name> or $steps.<name>.<output>` };
}

/** `$steps.name` or a bare name, as flow-control decisions may give either. */
export function stepNameOf(reference: string): string {
  return reference.startsWith("$steps.") ? reference.slice("$steps.".length) : reference;
}
