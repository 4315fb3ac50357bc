/**
 * The workspace's runs (`#/runs`), newest first, a page at a time ("Load more" follows the
 * list's cursor), filtered by status and workflow; and RecentRuns, one workflow's latest runs for
 * the workflow's own page.
 */
import type { RunStatus, WorkflowSummary } from "@cvflow/sdk";
import { RUN_STATUSES, type RunRecord } from "@cvflow/wire";
import { useEffect, useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { api, workspace } from "../session.js";
import { RunRows } from "./run-rows.js";
import "./runs.css";

const PAGE = 20;

interface Filters {
  status: RunStatus | "";
  /** A saved workflow's id, "inline", or "" for all. */
  workflow: string;
}

interface Page {
  runs: RunRecord[];
  cursor?: string | undefined;
}

function useRuns(filters: Filters, limit: number) {
  const [page, setPage] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const load = async (cursor: string | undefined, isCurrent: () => boolean) => {
    setLoading(true);
    setError(null);
    try {
      const answer = await api().listRuns({
        limit,
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.workflow ? { workflow: filters.workflow } : {}),
        ...(cursor ? { cursor } : {}),
      });
      if (!isCurrent()) return;
      setPage((previous) => ({ runs: cursor && previous ? [...previous.runs, ...answer.runs] : answer.runs, cursor: answer.cursor }));
    } catch (failure) {
      if (isCurrent()) setError(describeError(failure));
    } finally {
      if (isCurrent()) setLoading(false);
    }
  };
  useEffect(() => {
    let current = true;
    setPage(null);
    void load(undefined, () => current);
    return () => {
      current = false;
    };
  }, [filters.status, filters.workflow, limit]);
  const more = () => {
    if (page?.cursor) void load(page.cursor, () => true);
  };
  return { page, error, loading, more };
}

export function RunHistory() {
  const [filters, setFilters] = useState<Filters>({ status: "", workflow: "" });
  const workflows = useWorkflows();
  const { page, error, loading, more } = useRuns(filters, PAGE);
  return (
    <section class="run-history">
      <h1>Runs</h1>
      <form class="run-filters" onSubmit={(event) => event.preventDefault()} aria-label="Filters">
        <label>
          Status
          <select name="status" data-testid="filter-status" value={filters.status} onChange={(event) => setFilters({ ...filters, status: event.currentTarget.value as Filters["status"] })}>
            <option value="">any</option>
            {RUN_STATUSES.map((status) => <option value={status}>{status.replace("_", " ")}</option>)}
          </select>
        </label>
        <label>
          Workflow
          <select name="workflow" data-testid="filter-workflow" value={filters.workflow} onChange={(event) => setFilters({ ...filters, workflow: event.currentTarget.value })}>
            <option value="">any</option>
            {workflows.map((workflow) => <option value={workflow.id}>{workflow.name === workflow.id ? workflow.id : `${workflow.name} (${workflow.id})`}</option>)}
            <option value="inline">inline definitions</option>
          </select>
        </label>
      </form>
      {error && <p class="error" role="alert">{error}</p>}
      {page && page.runs.length === 0 && <p class="muted" data-testid="no-runs">No runs{filters.status || filters.workflow ? " match these filters" : " yet"}.</p>}
      {page && <RunRows runs={page.runs} />}
      {loading && <p class="muted" role="status">Loading runs…</p>}
      {page?.cursor && !loading && <button type="button" class="quiet" data-testid="load-more" onClick={more}>Load more</button>}
    </section>
  );
}

/** The latest runs of one saved workflow, for its page. */
export function RecentRuns({ workflowId, limit = 5 }: { workflowId: string; limit?: number }) {
  const { page, error } = useRuns({ status: "", workflow: workflowId }, limit);
  return (
    <section class="recent-runs" aria-labelledby="recent-runs-title" data-testid="recent-runs">
      <h2 id="recent-runs-title">Recent runs</h2>
      {error && <p class="error" role="alert">{error}</p>}
      {page && page.runs.length === 0 && <p class="muted">No runs yet.</p>}
      {page ? <RunRows runs={page.runs} showWorkflow={false} /> : !error && <p class="muted">Loading…</p>}
      {page?.cursor && <a href="#/runs">All runs</a>}
    </section>
  );
}

/** The workspace's saved workflows, for the workflow filter (none when they cannot be read: the filter keeps "any" and "inline"). */
function useWorkflows(): WorkflowSummary[] {
  const owner = workspace.value;
  const [workflows, setWorkflows] = useState<WorkflowSummary[]>([]);
  useEffect(() => {
    if (!owner) return;
    let current = true;
    api()
      .listWorkflows(owner)
      .then((list) => current && setWorkflows(list), () => undefined);
    return () => {
      current = false;
    };
  }, [owner]);
  return workflows;
}
