/**
 * Compiled plans, kept by the sha256 of the canonical definition (keys sorted) in an LRU. A
 * client that repeats a definition almost always sends the same text, so in front of it sits an
 * index by the definition's JSON as given: native JSON.stringify is about twice as fast as the
 * canonical walk. Both are keyed by sha256 digests (a long string key costs more to look up
 * than to digest), so neither can hand back the plan of another definition.
 */
import { canonicalJson, sha256 } from "./canonical.js";
import { LruCache } from "./lru.js";
import type { CompiledWorkflow } from "./plan.js";

export class PlanCache {
  private readonly byHash: LruCache<string, CompiledWorkflow>;
  private readonly byText: LruCache<string, CompiledWorkflow>;

  constructor(capacity: number) {
    this.byHash = new LruCache(capacity);
    this.byText = new LruCache(capacity);
  }

  /** The cached plan of `definition`, or the one `compile` makes from it (given the canonical hash). */
  get(definition: unknown, compile: (hash: string) => CompiledWorkflow): CompiledWorkflow {
    const text = asText(definition);
    const textHash = text === undefined ? undefined : sha256(text);
    const known = textHash === undefined ? undefined : this.byText.get(textHash);
    if (known) return known;
    const hash = sha256(canonicalJson(definition));
    let plan = this.byHash.get(hash);
    if (!plan) {
      plan = compile(hash);
      this.byHash.set(hash, plan);
    }
    if (textHash !== undefined) this.byText.set(textHash, plan);
    return plan;
  }
}

/** JSON text of a value; undefined for what JSON cannot express (then only the canonical key is used). */
function asText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
