/**
 * The name a value read from the runtime inputs goes by, as Roboflow's execution engine names it
 * (runtime_input_assembler.py): the input's name, with its batch index when it came in a list —
 * "image" for a single value, "image.[0]" for the first of a list, "image.[0].[1]" inside a nested
 * batch. Images take it as their parent id, and so do detections given as an input.
 */

/** "/inputs/image/0" -> "image.[0]"; a pointer outside /inputs is used as the id as it is. */
export function inputElementId(pointer: string): string {
  const [root, name, ...indices] = pointer.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  if (root !== "inputs" || name === undefined) return pointer;
  return name + indices.map((index) => `.[${index}]`).join("");
}
