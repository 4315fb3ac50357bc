/** Runs as a list of rows — status, workflow, when, how long, who — each opening the run's page. */
import type { RunRecord } from "@cvflow/wire";
import { href } from "../router.js";
import { formatDuration } from "../format.js";
import { Time } from "../time.js";
import { runDuration, startedByOf, workflowLabel } from "./run-facts.js";
import { StatusBadge } from "./run-header.js";

export function RunRows({ runs, showWorkflow = true }: { runs: readonly RunRecord[]; showWorkflow?: boolean }) {
  const now = Date.now();
  return (
    <ul class="run-rows">
      {runs.map((run) => (
        <li key={run.id} data-testid="run-row" data-run={run.id} data-status={run.status}>
          <a href={href({ view: "run", id: run.id })} class="run-row" aria-label={`Run ${run.id}, ${run.status}, ${workflowLabel(run)}`}>
            <StatusBadge status={run.status} />
            {showWorkflow && <span class="run-workflow">{workflowLabel(run)}</span>}
            <span class="run-when"><Time iso={run.startedAt ?? run.createdAt} /></span>
            <span class="run-duration">{formatDuration(runDuration(run, now))}</span>
            <span class="run-who muted">{startedByOf(run)}</span>
            <span class="run-id mono muted">{run.id}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
