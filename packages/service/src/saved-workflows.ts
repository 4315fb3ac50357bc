/**
 * Saved workflows as runs read them: the current version, or an older one, with its compiled plan.
 * Kept for a short TTL keyed by workspace and url, each entry holding the plan compiled for the
 * ETag it was read at, so that a repeated run neither reads S3 nor compiles again. Writes through this service replace
 * or drop the entry at once; a write through another instance shows here within the TTL (or at
 * once with `use_cache: false`).
 */
import type { CompiledWorkflow, WorkflowEngine } from "@cvflow/engine";
import type { StoredWorkflow, Tagged, WorkflowStore } from "@cvflow/store";
import { TtlCache } from "./ttl-cache.js";

export class SavedWorkflow {
  private compiled: CompiledWorkflow | undefined;

  constructor(
    readonly tagged: Tagged<StoredWorkflow>,
    private readonly engine: WorkflowEngine,
  ) {}

  /** Compiled once per ETag (a definition that does not compile throws each time). */
  plan(): CompiledWorkflow {
    return (this.compiled ??= this.engine.compile(this.tagged.value.specification));
  }
}

export class SavedWorkflows {
  private readonly entries: TtlCache<string, SavedWorkflow>;

  constructor(
    private readonly store: WorkflowStore,
    private readonly engine: WorkflowEngine,
    ttlMs: number,
  ) {
    this.entries = new TtlCache(1000, ttlMs);
  }

  async current(workspace: string, url: string, useCache = true): Promise<SavedWorkflow | undefined> {
    const key = keyOf(workspace, url);
    const cached = useCache ? this.entries.get(key) : undefined;
    if (cached) return cached;
    const tagged = await this.store.get(workspace, url);
    if (!tagged) {
      this.entries.delete(key);
      return undefined;
    }
    return this.remember(tagged);
  }

  /** An older version; versions never change, so the entry is keyed by its id. */
  async version(workspace: string, url: string, versionId: string, useCache = true): Promise<SavedWorkflow | undefined> {
    const key = `${keyOf(workspace, url)}@${versionId}`;
    const cached = useCache ? this.entries.get(key) : undefined;
    if (cached) return cached;
    const stored = await this.store.getVersion(workspace, url, versionId);
    if (!stored) return undefined;
    const entry = new SavedWorkflow({ value: stored, etag: versionId }, this.engine);
    this.entries.set(key, entry);
    return entry;
  }

  /** After a write through this service: the new current version. */
  remember(tagged: Tagged<StoredWorkflow>): SavedWorkflow {
    const entry = new SavedWorkflow(tagged, this.engine);
    this.entries.set(keyOf(tagged.value.workspace, tagged.value.url), entry);
    return entry;
  }

  forget(workspace: string, url: string): void {
    this.entries.delete(keyOf(workspace, url));
  }
}

function keyOf(workspace: string, url: string): string {
  return `${workspace}/${url}`;
}
