/**
 * Batch jobs (`#/batch`, `#/batch/{id}`): the workspace's jobs with their state and progress, and a
 * job's page — its status polled while it runs, its failures, abort and restart, and once it has
 * finished its files to download: the aggregated CSV or JSONL, failures.jsonl, summary.json (docs/batch.md).
 */
import type { BatchJobResults, BatchJobStatus } from "@cvflow/wire";
import { isBatchJobFinished } from "@cvflow/wire";
import type { ComponentChildren } from "preact";
import { href } from "../router.js";
import { api } from "../session.js";
import { FAILURES_FILE, parseFailures } from "./failure-records.js";
import { formatBytes, formatDuration } from "../format.js";
import { Time } from "../time.js";
import { useAction } from "../use-action.js";
import { failureSummary, jobDurationMs, jobProgress, STATE_LABELS } from "./job-progress.js";
import { useLoaded } from "../workflows/use-loaded.js";
import { NewJob } from "./new-job.js";
import { usePolled } from "./use-polled.js";
import "./batch.css";

/** How often a job that is not finished is asked for again. */
const POLL_MS = 1000;

export function BatchJobs({ selected }: { selected: string | undefined }) {
  return selected === undefined ? <JobList /> : <JobPage key={selected} id={selected} />;
}

function JobList() {
  const jobs = usePolled(() => api().listBatchJobs(), "list", POLL_MS * 2, (list) => list.every((job) => isBatchJobFinished(job.state)));
  return (
    <section class="batch" aria-labelledby="batch-title">
      <h1 id="batch-title">Batch jobs</h1>
      <NewJob />
      {jobs.error && <p role="alert" class="error">{jobs.error}</p>}
      {jobs.value === null ? (
        !jobs.error && <p class="muted">Loading…</p>
      ) : jobs.value.length === 0 ? (
        <p class="muted" data-testid="batch-empty">
          No batch jobs yet: submit one above, or with <code>cvflow batch submit --input DIR --workflow WORKSPACE/ID</code>.
        </p>
      ) : (
        <ul class="batch-list">
          {jobs.value.map((job) => (
            <li data-testid="batch-job-row" data-job={job.job} data-state={job.state}>
              <div class="batch-row-head">
                <a href={href({ view: "batch-job", id: job.job })} class="mono">{job.job}</a>
                <StateBadge state={job.state} />
              </div>
              <Progress status={job} />
              <p class="muted batch-times">
                submitted <Time iso={job.submitted_at} />
                <Took status={job} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function JobPage({ id }: { id: string }) {
  const job = usePolled(() => api().batchJob(id), id, POLL_MS, (status) => isBatchJobFinished(status.state));
  const { busy: acting, error: actionError, run } = useAction();
  const act = async (action: (id: string) => Promise<BatchJobStatus>) => {
    await run(() => action(id));
    job.reload();
  };
  const status = job.value;
  return (
    <section class="batch" aria-labelledby="batch-job-title">
      <p><a href={href({ view: "batch" })}>← Batch jobs</a></p>
      <h1 id="batch-job-title" class="mono batch-job-title">{id}</h1>
      {job.error && <p role="alert" class="error">{job.error}</p>}
      {status === null ? (
        !job.error && <p class="muted">Loading…</p>
      ) : (
        <>
          <div class="batch-row-head">
            <StateBadge state={status.state} testid="batch-state" />
            <div class="batch-actions">
              {isBatchJobFinished(status.state) ? (
                <button type="button" disabled={acting} onClick={() => act((job) => api().restartBatchJob(job))}>Restart</button>
              ) : (
                <button type="button" class="quiet" disabled={acting} onClick={() => act((job) => api().abortBatchJob(job))}>Abort</button>
              )}
            </div>
          </div>
          {actionError && <p role="alert" class="error">{actionError}</p>}
          <Progress status={status} />
          <dl class="batch-facts">
            <dt>Submitted</dt>
            <dd><Time iso={status.submitted_at} /></dd>
            <dt>Started</dt>
            <dd>{status.started_at ? <Time iso={status.started_at} /> : "not yet"}</dd>
            <dt>Finished</dt>
            <dd>{status.finished_at ? <Time iso={status.finished_at} /> : "not yet"}</dd>
            <dt>Duration</dt>
            <dd>{durationText(status)}</dd>
            <dt>Output</dt>
            <dd class="mono batch-wrap">{status.output_prefix}</dd>
            {status.execution && (
              <>
                <dt>Execution</dt>
                <dd class="mono batch-wrap">{status.execution}</dd>
              </>
            )}
            {status.last_run && (
              <>
                <dt>Last execution</dt>
                <dd>
                  processed {status.last_run.processed}, skipped {status.last_run.skipped} (done before), failed {status.last_run.failed}
                </dd>
              </>
            )}
          </dl>
          {isBatchJobFinished(status.state) ? <Finished key={`${status.execution}:${status.finished_at}`} status={status} /> : <Failures status={status} />}
        </>
      )}
    </section>
  );
}

/**
 * A finished job: its failures with their records, and its files as links — presigned GET URLs the
 * service hands out (GET /batch/jobs/{id}/results), followed without the API key. Asked once per
 * finished execution.
 */
function Finished({ status }: { status: BatchJobStatus }) {
  const results = useLoaded(() => api().batchJobResults(status.job), status.job);
  const failures = results.value?.files.find((file) => file.name === FAILURES_FILE);
  return (
    <>
      <Failures status={status}>{failures && (status.failed ?? 0) > 0 && <FailureList url={failures.url} />}</Failures>
      <section class="batch-downloads" aria-labelledby="batch-downloads-title">
        <h2 id="batch-downloads-title">Results</h2>
        {results.error && <p role="alert" class="error">{results.error}</p>}
        {results.value && <Files results={results.value} />}
      </section>
    </>
  );
}

function Files({ results }: { results: BatchJobResults }) {
  if (results.files.length === 0) return <p class="muted">The job wrote no result files.</p>;
  return (
    <ul class="batch-files">
      {results.files.map((file) => (
        <li>
          <a href={file.url} download={file.name} data-testid="batch-download" data-name={file.name}>{file.name}</a>{" "}
          <span class="muted">{formatBytes(file.size)}</span>
        </li>
      ))}
    </ul>
  );
}

/** What went wrong: the failed images against what the job tolerates, and why a failed job failed. */
function Failures({ status, children }: { status: BatchJobStatus; children?: ComponentChildren }) {
  const summary = failureSummary(status);
  if (!summary && !status.error) return null;
  return (
    <section class="batch-failures" data-testid="batch-failures" aria-labelledby="batch-failures-title">
      <h2 id="batch-failures-title">Failures</h2>
      {summary && <p data-testid="batch-failure-summary">{summary}</p>}
      {status.error && (
        <p class="error" data-testid="batch-error" data-code={status.error.code}>
          <code>{status.error.code}</code>: {status.error.message}
        </p>
      )}
      {children}
    </section>
  );
}

/** How many failure records are listed on the page; the rest are in the file. */
const FAILURES_SHOWN = 50;

/** The failed images and why, read from the job's failures.jsonl (its presigned URL: no key sent). */
function FailureList({ url }: { url: string }) {
  const failures = useLoaded(async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${FAILURES_FILE} could not be read (HTTP ${response.status})`);
    return parseFailures(await response.text(), FAILURES_SHOWN);
  }, url);
  if (failures.error) return <p role="alert" class="error">{failures.error}</p>;
  if (!failures.value) return <p class="muted">Reading {FAILURES_FILE}…</p>;
  const { shown, total } = failures.value;
  return (
    <>
      <ul class="batch-failure-list">
        {shown.map((record) => (
          <li data-testid="batch-failure" data-image={record.image} data-code={record.code}>
            <span class="mono batch-wrap">{record.image}</span> <code>{record.code}</code>
            <p class="muted batch-wrap">{record.message}</p>
          </li>
        ))}
      </ul>
      {total > shown.length && <p class="muted">and {total - shown.length} more in {FAILURES_FILE} (below).</p>}
    </>
  );
}

function Progress({ status }: { status: BatchJobStatus }) {
  const progress = jobProgress(status);
  if (!progress) return <p class="muted">Listing the images…</p>;
  const processed = progress.done + progress.failed;
  return (
    <div class="batch-progress">
      <div
        class="batch-bar"
        role="progressbar"
        aria-label="Images processed"
        aria-valuemin={0}
        aria-valuemax={progress.total}
        aria-valuenow={processed}
        data-testid="batch-progress"
        data-done={progress.done}
        data-failed={progress.failed}
        data-total={progress.total}
      >
        <span class="batch-bar-done" style={{ width: `${progress.donePercent}%` }} />
        <span class="batch-bar-failed" style={{ width: `${progress.failedPercent}%` }} />
      </div>
      <span class="batch-counts">
        {progress.done} done · <span class={progress.failed ? "error" : undefined}>{progress.failed} failed</span> · {progress.total} images
      </span>
    </div>
  );
}

function StateBadge({ state, testid }: { state: BatchJobStatus["state"]; testid?: string }) {
  return (
    <span class={`batch-state batch-state-${state}`} data-testid={testid} data-state={state}>
      {STATE_LABELS[state]}
    </span>
  );
}

function Took({ status }: { status: BatchJobStatus }) {
  const ms = jobDurationMs(status, Date.now());
  if (ms === null) return null;
  return <>{status.finished_at ? `, took ${formatDuration(ms)}` : `, running for ${formatDuration(ms)}`}</>;
}

function durationText(status: BatchJobStatus): string {
  const ms = jobDurationMs(status, Date.now());
  if (ms === null) return "not started";
  const rate = status.finished_at && ms > 0 && status.done ? ` (${Math.round((status.done / ms) * 1000 * 10) / 10} images/s)` : "";
  return `${formatDuration(ms)}${status.finished_at ? "" : " so far"}${rate}`;
}
