/**
 * A workflow definition travels bare (`{"version", "inputs", "steps", "outputs"}`) or wrapped as
 * `{"specification": …}` (docs/api.md). Wrapped means a "specification" field and no "steps", so a
 * bare definition is never mistaken for a wrapper. The engine, the service, the SDK and the CLI all
 * read definitions by this one rule.
 */

export interface UnwrappedSpecification {
  /** What the wrapper holds (not checked to be an object), or the bare definition itself. */
  definition: unknown;
  /** Where the definition sits in what was given: "" bare, "/specification" wrapped. */
  pointer: "" | "/specification";
}

export function unwrapSpecification(value: Readonly<Record<string, unknown>>): UnwrappedSpecification {
  if ("specification" in value && !("steps" in value)) return { definition: value["specification"], pointer: "/specification" };
  return { definition: value, pointer: "" };
}
