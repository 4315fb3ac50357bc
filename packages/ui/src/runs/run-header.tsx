/** The top of a run's page: its status, workflow, who started it, its times, and Cancel or Retry. */
import type { RunRecord } from "@cvflow/wire";
import { formatDuration } from "../format.js";
import { href } from "../router.js";
import { api } from "../session.js";
import { Time } from "../time.js";
import { useAction } from "../use-action.js";
import { canCancel, canRetry, runDuration, startedByOf, workflowLabel } from "./run-facts.js";
import type { Connection } from "./use-run.js";

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: "connecting…",
  live: "live",
  reconnecting: "connection lost, reconnecting…",
  ended: "",
};

export function RunHeader({ record, connection, onChange }: { record: RunRecord; connection: Connection; onChange(record: RunRecord): void }) {
  const { busy, error, run } = useAction();
  const act = (action: "cancel" | "retry") => run(async () => onChange(await (action === "cancel" ? api().cancel(record.id) : api().retry(record.id))));
  const { workspace, id } = record.workflow;
  const attempt = record.attempts.length;
  return (
    <header class="run-header">
      <div class="run-title">
        <h1>Run <span class="mono">{record.id}</span></h1>
        <span aria-live="polite"><StatusBadge status={record.status} testId="run-status" /></span>
        {CONNECTION_TEXT[connection] && <span class="muted" data-testid="run-connection" data-connection={connection}>{CONNECTION_TEXT[connection]}</span>}
      </div>
      <dl class="run-facts">
        <div>
          <dt>Workflow</dt>
          <dd>{workspace && id ? <a href={href({ view: "workflow", id, tab: "graph" })}>{workflowLabel(record)}</a> : workflowLabel(record)}</dd>
        </div>
        <div><dt>Started by</dt><dd data-testid="run-started-by">{startedByOf(record)}</dd></div>
        <div><dt>Created</dt><dd><Time iso={record.createdAt} /></dd></div>
        {record.finishedAt && <div><dt>Finished</dt><dd><Time iso={record.finishedAt} /></dd></div>}
        <div><dt>Duration</dt><dd>{formatDuration(runDuration(record, Date.now()))}</dd></div>
        {attempt > 1 && <div><dt>Attempt</dt><dd>{attempt}</dd></div>}
        <div><dt>Mode</dt><dd>{record.mode}</dd></div>
      </dl>
      <div class="run-actions">
        {canCancel(record.status) && <button type="button" class="quiet" disabled={busy} onClick={() => void act("cancel")} data-testid="cancel-run">Cancel</button>}
        {canRetry(record) && <button type="button" disabled={busy} onClick={() => void act("retry")} data-testid="retry-run">Retry</button>}
        {error && <span class="error" role="alert">{error}</span>}
      </div>
    </header>
  );
}

export function StatusBadge({ status, testId }: { status: RunRecord["status"]; testId?: string }) {
  return <span class={`status-badge status-${status}`} data-testid={testId} data-status={status}>{status.replace("_", " ")}</span>;
}
