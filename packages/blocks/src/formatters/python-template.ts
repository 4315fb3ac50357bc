/**
 * Python `str.format` templates with named placeholders: `{name}`, `{name!r}`, `{name:.2f}`,
 * `{name:{width}}`; `{{` and `}}` are literal braces. Positional placeholders and attribute or
 * index access (`{}`, `{0}`, `{a.b}`, `{a[0]}`) are refused, as Roboflow's String Template does.
 */
import { pyRepr, pyStr } from "../uql/python-values.js";
import { formatValue } from "./python-format.js";

/** The template is malformed or refers to something it may not. */
export class TemplateError extends Error {
  override name = "TemplateError";
}

interface Field {
  name: string;
  conversion: "r" | "s" | "a" | undefined;
  spec: Piece[];
}

type Piece = string | Field;

/** Python allows replacement fields inside a format spec, but no deeper. */
const MAX_NESTING = 2;

export function parseTemplate(template: string, depth = MAX_NESTING): Piece[] {
  if (depth === 0) throw new TemplateError("Max string recursion exceeded");
  const pieces: Piece[] = [];
  let literal = "";
  let i = 0;
  while (i < template.length) {
    const ch = template[i]!;
    if ((ch === "{" || ch === "}") && template[i + 1] === ch) {
      literal += ch;
      i += 2;
    } else if (ch === "}") {
      throw new TemplateError("Single '}' encountered in format string");
    } else if (ch === "{") {
      const end = matchingBrace(template, i);
      if (literal) pieces.push(literal);
      literal = "";
      pieces.push(parseField(template.slice(i + 1, end), depth));
      i = end + 1;
    } else {
      literal += ch;
      i += 1;
    }
  }
  if (literal) pieces.push(literal);
  return pieces;
}

function matchingBrace(template: string, open: number): number {
  if (open === template.length - 1) throw new TemplateError("Single '{' encountered in format string");
  let level = 0;
  for (let j = open; j < template.length; j++) {
    if (template[j] === "{") level += 1;
    else if (template[j] === "}" && --level === 0) return j;
  }
  throw new TemplateError("expected '}' before end of string");
}

function parseField(text: string, depth: number): Field {
  const stop = text.search(/[!:]/);
  const name = stop < 0 ? text : text.slice(0, stop);
  if (name === "" || /^\d+$/.test(name)) {
    throw new TemplateError("positional placeholders are not supported; use named placeholders, e.g. {variable_name}");
  }
  if (name.includes(".") || name.includes("[")) {
    throw new TemplateError(`attribute or index access in placeholders is not supported (got {${name}}); extract nested values with data operations first`);
  }
  let rest = stop < 0 ? "" : text.slice(stop);
  let conversion: Field["conversion"];
  if (rest.startsWith("!")) {
    const c = rest[1];
    if (c === undefined) throw new TemplateError("end of string while looking for conversion specifier");
    if (c !== "r" && c !== "s" && c !== "a") throw new TemplateError(`Unknown conversion specifier ${c}`);
    if (rest.length > 2 && rest[2] !== ":") throw new TemplateError("expected ':' after conversion specifier");
    conversion = c;
    rest = rest.slice(2);
  }
  const spec = rest.startsWith(":") ? parseTemplate(rest.slice(1), depth - 1) : [];
  return { name, conversion, spec };
}

/** Every name a parsed template refers to, including those inside format specs. */
export function placeholderNames(pieces: readonly Piece[]): Set<string> {
  const names = new Set<string>();
  for (const piece of pieces) {
    if (typeof piece === "string") continue;
    names.add(piece.name);
    for (const nested of placeholderNames(piece.spec)) names.add(nested);
  }
  return names;
}

function ascii(text: string): string {
  return [...text]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      if (code < 0x80) return ch;
      if (code < 0x100) return `\\x${code.toString(16).padStart(2, "0")}`;
      return code < 0x10000 ? `\\u${code.toString(16).padStart(4, "0")}` : `\\U${code.toString(16).padStart(8, "0")}`;
    })
    .join("");
}

const CONVERSIONS = { r: pyRepr, s: (v: unknown) => pyStr(v), a: (v: unknown) => ascii(pyRepr(v)) };

/** Renders parsed pieces; every name must be in `variables` (check with placeholderNames first). */
export function renderTemplate(pieces: readonly Piece[], variables: Readonly<Record<string, unknown>>): string {
  return pieces
    .map((piece) => {
      if (typeof piece === "string") return piece;
      const raw = variables[piece.name];
      const value = piece.conversion ? CONVERSIONS[piece.conversion](raw) : raw;
      return formatValue(value, renderTemplate(piece.spec, variables));
    })
    .join("");
}
