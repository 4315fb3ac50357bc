/** Ordering steps by their dependencies, and naming the cycles that make that impossible. */

export interface Ordering {
  /** Steps in an order where each comes after everything it depends on (cycle members left out). */
  order: string[];
  /** Each cycle as the path of step names around it, e.g. ["a", "b", "a"]. */
  cycles: string[][];
}

/** `deps.get(x)` lists what x depends on; every name in a list must be a key. */
export function orderSteps(deps: ReadonlyMap<string, readonly string[]>): Ordering {
  const order: string[] = [];
  const cycles: string[][] = [];
  const state = new Map<string, "visiting" | "done" | "cyclic">();
  const stack: string[] = [];

  // Depth-first: a dependency met while still "visiting" closes a cycle through the stack.
  const visit = (name: string): boolean => {
    const s = state.get(name);
    if (s === "done") return true;
    if (s === "cyclic") return false;
    if (s === "visiting") {
      const from = stack.indexOf(name);
      cycles.push([...stack.slice(from), name]);
      for (const member of stack.slice(from)) state.set(member, "cyclic");
      return false;
    }
    state.set(name, "visiting");
    stack.push(name);
    let ok = true;
    for (const dep of deps.get(name) ?? []) ok = visit(dep) && ok;
    stack.pop();
    if (state.get(name) === "cyclic") return false;
    state.set(name, ok ? "done" : "cyclic");
    if (ok) order.push(name);
    return ok;
  };
  for (const name of deps.keys()) visit(name);
  return { order, cycles };
}
