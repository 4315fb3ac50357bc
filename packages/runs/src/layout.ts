/**
 * Where runs live in the bucket (docs/runs.md):
 *
 *   runs/{id}/record.json                 the run's record (RunRecord), updated with If-Match
 *   runs/{id}/request.json                an async run's workflow definition, inputs and options (StoredRunRequest)
 *   runs/{id}/events/{sequence}.json      one event per object, written with If-None-Match: the
 *                                         slot of a sequence number has exactly one writer
 *   runs/{id}/outputs.json                outputs too large for the record
 *   runs/{id}/steps/{step}.json           a finished step's checkpointed output (retry, resume)
 *   runs/{id}/steps/{step}/{n}.bin        the binary parts of it (image bytes)
 *   runs-index/{ws}/{newest-first}-{id}   the workspace's runs, newest first (empty objects)
 *   runs-idempotency/{ws}/{sha256}.json   an Idempotency-Key's claim: {runId, bodyHash}
 *   runs-active/{id}                      a run not finished yet (empty): what the reaper reads
 *
 * Run ids are sortable ids (SORTABLE_ID): safe as key segments, and checked before any key is made.
 */
import { SORTABLE_ID } from "@cvflow/store";

export const RUNS_PREFIX = "runs/";
const ACTIVE_PREFIX = "runs-active/";

/** Sequence numbers are zero-padded so that S3's lexicographic listing is the log's order. */
const SEQUENCE_DIGITS = 12;
/** A key segment that sorts the newest first: the milliseconds to a far date, fixed width. */
const FAR_MS = 36 ** 9 - 1;

export function isRunId(id: string): boolean {
  return SORTABLE_ID.test(id);
}

export const runKeys = {
  root: (id: string) => `${RUNS_PREFIX}${id}/`,
  record: (id: string) => `${RUNS_PREFIX}${id}/record.json`,
  request: (id: string) => `${RUNS_PREFIX}${id}/request.json`,
  outputs: (id: string) => `${RUNS_PREFIX}${id}/outputs.json`,
  events: (id: string) => `${RUNS_PREFIX}${id}/events/`,
  event: (id: string, sequence: number) => `${RUNS_PREFIX}${id}/events/${String(sequence).padStart(SEQUENCE_DIGITS, "0")}.json`,
  steps: (id: string) => `${RUNS_PREFIX}${id}/steps/`,
  step: (id: string, step: string) => `${RUNS_PREFIX}${id}/steps/${encodeURIComponent(step)}.json`,
  stepPart: (id: string, step: string, part: number) => `${RUNS_PREFIX}${id}/steps/${encodeURIComponent(step)}/${part}.bin`,
  index: (workspace: string) => `runs-index/${workspace || "_"}/`,
  indexEntry: (workspace: string, createdMs: number, id: string) => `runs-index/${workspace || "_"}/${(FAR_MS - createdMs).toString(36).padStart(9, "0")}-${id}`,
  active: () => ACTIVE_PREFIX,
  activeEntry: (id: string) => `${ACTIVE_PREFIX}${id}`,
  idempotency: (workspace: string, keyHash: string) => `runs-idempotency/${workspace || "_"}/${keyHash}.json`,
};

/** The sequence number of an event's key; undefined for any other key. */
export function sequenceOfKey(key: string): number | undefined {
  const match = /\/events\/(\d+)\.json$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/** The run id at the end of an index entry's key. */
export function runIdOfIndexKey(key: string): string | undefined {
  const id = key.slice(key.lastIndexOf("-") + 1);
  return isRunId(id) ? id : undefined;
}
