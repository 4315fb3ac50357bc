/**
 * Run records in S3 (layout.ts): create once, update by read-modify-write with If-Match (a cancel
 * from the API and a step finishing in the worker never overwrite each other), list a workspace's
 * runs newest first, purge. Idempotency-Key claims live beside them.
 */
import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ConditionFailed, JsonObjects } from "@cvflow/store";
import { isRunId, runIdOfIndexKey, runKeys } from "./layout.js";
import type { RunRecord, RunStatus } from "./run-record.js";

/** How many times an update is tried again when another writer changed the record meanwhile. */
const UPDATE_RETRIES = 8;
const LIST_PAGE = 100;

export interface RunFilter {
  workspace: string;
  status?: readonly RunStatus[];
  /** The workflow's name (RunRecord.workflow.name). */
  workflow?: string;
  /** Dify's `user`: only that user's runs. */
  user?: string;
  /** Created at or after / before, epoch ms. */
  from?: number;
  to?: number;
  /** Matches the run id, the workflow's name or an input summary, case-insensitively. */
  keyword?: string;
}

export interface RunPage {
  runs: RunRecord[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  cursor?: string;
}

export interface IdempotencyClaim {
  runId: string;
  bodyHash: string;
}

export class RunStore {
  readonly objects: JsonObjects;

  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {
    this.objects = new JsonObjects(client, bucket);
  }

  /**
   * Answers the record's ETag (what `updateTagged` may start from without reading it). The record
   * and its index entry are written at once (a run's id is new: the record's condition only guards
   * against a bug), so a sync run's first events wait one request, not two.
   */
  async create(record: RunRecord): Promise<string> {
    const [etag] = await Promise.all([
      this.objects.write(runKeys.record(record.id), record, { ifNoneMatch: "*" }),
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: runKeys.indexEntry(record.workspace, Date.parse(record.createdAt), record.id), Body: "", ContentLength: 0 })),
    ]);
    return etag;
  }

  async get(id: string): Promise<RunRecord | undefined> {
    if (!isRunId(id)) return undefined;
    return (await this.objects.read<RunRecord>(runKeys.record(id)))?.value;
  }

  /**
   * Applies `change` to the current record and writes it if nothing wrote in between (else reads
   * again and re-applies). `change` returns undefined to leave the record as it is. Returns the
   * record as written (or as found when unchanged); undefined when there is no such run.
   */
  async update(id: string, change: (record: RunRecord) => RunRecord | undefined): Promise<RunRecord | undefined> {
    return (await this.updateTagged(id, change))?.value;
  }

  /**
   * `update` with the ETag of what it wrote, starting from `known` (a record and its ETag, from
   * the last write) without reading it first: a run's own writes (one writer most of the time)
   * cost one request each, not two. Another writer in between costs a read and a retry.
   */
  async updateTagged(id: string, change: (record: RunRecord) => RunRecord | undefined, known?: { value: RunRecord; etag: string }): Promise<{ value: RunRecord; etag: string } | undefined> {
    if (!isRunId(id)) return undefined;
    let found = known;
    for (let attempt = 0; ; attempt++) {
      found ??= await this.objects.read<RunRecord>(runKeys.record(id));
      if (!found) return undefined;
      const next = change(structuredClone(found.value));
      if (next === undefined) return found;
      try {
        return { value: next, etag: await this.objects.write(runKeys.record(id), next, { ifMatch: found.etag }) };
      } catch (error) {
        if (!(error instanceof ConditionFailed) || attempt >= UPDATE_RETRIES) throw error;
        found = undefined;
      }
    }
  }

  /** A workspace's runs, newest first, that pass `filter`; `limit` per page (at most 100). */
  async list(filter: RunFilter, limit: number, cursor?: string): Promise<RunPage> {
    const prefix = runKeys.index(filter.workspace);
    const runs: RunRecord[] = [];
    let startAfter = cursor ? prefix + cursor : undefined;
    const want = Math.max(1, Math.min(LIST_PAGE, limit));
    for (;;) {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, StartAfter: startAfter, MaxKeys: LIST_PAGE }));
      const keys = (page.Contents ?? []).map((o) => o.Key!).filter(Boolean);
      const records = await this.objects.readAll<RunRecord>(keys.map((k) => runIdOfIndexKey(k)).filter((id): id is string => id !== undefined).map((id) => runKeys.record(id)));
      const byId = new Map(records.map((r) => [r.id, r]));
      for (const key of keys) {
        const record = byId.get(runIdOfIndexKey(key) ?? "");
        if (!record || !matches(record, filter)) continue;
        runs.push(record);
        if (runs.length === want) {
          const last = key.slice(prefix.length);
          return keys.indexOf(key) < keys.length - 1 || page.IsTruncated ? { runs, cursor: last } : { runs };
        }
      }
      if (!page.IsTruncated || keys.length === 0) return { runs };
      startAfter = keys.at(-1);
    }
  }

  /** Deletes the run: its record, events, checkpoints, outputs and index entry. */
  async purge(record: RunRecord): Promise<void> {
    const keys = [...(await this.objects.keys(runKeys.root(record.id))), runKeys.indexEntry(record.workspace, Date.parse(record.createdAt), record.id)];
    for (let i = 0; i < keys.length; i += 1000) {
      await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
    }
  }

  /** Claims `keyHash` for a run; returns the earlier claim when there is one. */
  async claimIdempotency(workspace: string, keyHash: string, claim: IdempotencyClaim): Promise<IdempotencyClaim | undefined> {
    try {
      await this.objects.write(runKeys.idempotency(workspace, keyHash), claim, { ifNoneMatch: "*" });
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      return (await this.objects.read<IdempotencyClaim>(runKeys.idempotency(workspace, keyHash)))?.value;
    }
  }
}

function matches(record: RunRecord, filter: RunFilter): boolean {
  if (filter.status && !filter.status.includes(record.status)) return false;
  if (filter.workflow !== undefined && record.workflow.name !== filter.workflow) return false;
  if (filter.user !== undefined && record.startedBy.user !== filter.user) return false;
  const created = Date.parse(record.createdAt);
  if (filter.from !== undefined && created < filter.from) return false;
  if (filter.to !== undefined && created > filter.to) return false;
  if (filter.keyword) {
    const needle = filter.keyword.toLowerCase();
    const haystack = [record.id, record.workflow.name, ...Object.values(record.inputsSummary)].join("\n").toLowerCase();
    if (!haystack.includes(needle)) return false;
  }
  return true;
}
