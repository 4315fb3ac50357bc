/**
 * What an async run executes, kept beside its record (runs/{id}/request.json) for the durable
 * handler, a retry and the recovery after a restart: the payload of a durable execution is only
 * `{runId, attempt}`.
 */
import { runKeys } from "./layout.js";
import type { RunStore } from "./run-store.js";

export interface StoredRunRequest {
  /** The workflow definition (JSON; never a compiled plan). */
  workflow: unknown;
  inputs: Record<string, unknown>;
  excludedFields?: string[];
  /** `disable_sinks`: every attempt and retry of the run leaves its sinks silent. */
  disableSinks?: boolean;
}

export async function writeRunRequest(store: RunStore, runId: string, request: StoredRunRequest): Promise<void> {
  await store.objects.write(runKeys.request(runId), request);
}

export async function readRunRequest(store: RunStore, runId: string): Promise<StoredRunRequest | undefined> {
  return (await store.objects.read<StoredRunRequest>(runKeys.request(runId)))?.value;
}
