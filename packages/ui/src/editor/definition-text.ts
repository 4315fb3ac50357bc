/** The definition as the editor holds it: text in, parsed definition out, and the smallest edit between two texts. Pure. */
import { isRecord } from "@cvflow/wire";
import { parse, type ParseError } from "jsonc-parser";

/** A failure names where the text goes wrong (`offset`) when it is not JSON. */
export type ParsedDefinition = { ok: true; definition: Record<string, unknown> } | { ok: false; message: string; offset?: number };

/** How a definition read from the service is shown: two-space JSON. */
export function definitionText(definition: unknown): string {
  return JSON.stringify(definition, null, 2);
}

export function parseDefinition(text: string): ParsedDefinition {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Not JSON: ${(error as Error).message}`, offset: syntaxErrorOffset(text) };
  }
  return isRecord(value) ? { ok: true, definition: value } : { ok: false, message: "A definition is a JSON object" };
}

/** Where strict JSON first goes wrong, by jsonc-parser (whose positions all engines agree on, unlike JSON.parse's messages). */
function syntaxErrorOffset(text: string): number {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  return errors[0]?.offset ?? 0;
}

/**
 * The one replacement that turns `before` into `after` (common start and end kept), so that an
 * edit made outside the editor (a step inserted, a reload) keeps the cursor, scroll and undo
 * history of the untouched text.
 */
export function minimalChange(before: string, after: string): { from: number; to: number; insert: string } {
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}
