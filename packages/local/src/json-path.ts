/**
 * The JSONPath the local Distributed Map needs to read its own fields (ItemReader and ResultWriter
 * parameters, ItemBatcher's BatchInput, the *Path fields): reference paths (`$.a.b`, `$['a']`,
 * `$$.Execution.Name`) and payload templates (`"key.$": path`). The states around it are the
 * library's, which evaluates everything else.
 */

export class StatesRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "States.Runtime";
  }
}

const SEGMENT = /^(?:\.([A-Za-z_$][\w$-]*)|\['([^']*)'\]|\[(\d+)\])/;

/** The value `path` selects in `input` (or, for `$$…`, in the context object). */
export function referencePath(path: string, input: unknown, context: unknown): unknown {
  let rest: string;
  let value: unknown;
  if (path.startsWith("$$")) [value, rest] = [context, path.slice(2)];
  else if (path.startsWith("$")) [value, rest] = [input, path.slice(1)];
  else throw new StatesRuntimeError(`"${path}" is not a reference path`);
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) throw new StatesRuntimeError(`The local runner reads reference paths only ($.a.b, $['a'], $[0]); got "${path}"`);
    const name = match[1] ?? match[2] ?? Number(match[3]);
    value = typeof value === "object" && value !== null ? (value as Record<string | number, unknown>)[name] : undefined;
    if (value === undefined) throw new StatesRuntimeError(`The path "${path}" selects nothing`);
    rest = rest.slice(match[0].length);
  }
  return value;
}

/** A payload template: fields named `….$` are replaced by what their path selects. */
export function payloadTemplate(template: unknown, input: unknown, context: unknown): unknown {
  if (Array.isArray(template)) return template.map((element) => payloadTemplate(element, input, context));
  if (typeof template !== "object" || template === null) return template;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$")) result[key.slice(0, -2)] = referencePath(String(value), input, context);
    else result[key] = payloadTemplate(value, input, context);
  }
  return result;
}
