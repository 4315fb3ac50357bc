/**
 * A run's page (`#/runs/{id}`): its header with Cancel / Retry, the graph lit from its events,
 * the live event log, and what its status calls for — the form a waiting step asks to be answered
 * with, the error of a run that failed, the results of one that succeeded.
 */
import type { RunRecord } from "@cvflow/wire";
import { EventLog } from "./event-log.js";
import { InputForm } from "./input-form.js";
import { endedBadly, failedStepOf } from "./run-facts.js";
import { RunGraph } from "./run-graph.js";
import { RunHeader } from "./run-header.js";
import { RunResults } from "./run-results.js";
import { useRun } from "./use-run.js";
import { useRunInputs } from "./use-run-inputs.js";
import "./runs.css";

export function RunView({ id }: { id: string }) {
  const run = useRun(id);
  const given = useRunInputs(id);
  if (run.error) {
    return (
      <section class="run-view">
        <p class="error" role="alert" data-testid="run-load-error">{run.error}</p>
        <a href="#/runs">All runs</a>
      </section>
    );
  }
  const { record } = run;
  if (!record) return <p class="muted">Reading the run…</p>;
  return (
    <section class="run-view">
      <RunHeader record={record} connection={run.connection} onChange={run.update} />
      {record.status === "waiting" && record.waitingFor && (
        // Keyed by the request: a second wait of the run gets a fresh form.
        <InputForm key={`${record.waitingFor.step}@${record.waitingFor.requestedAt}`} runId={record.id} request={record.waitingFor} onSent={() => run.update()} />
      )}
      {record.error && endedBadly(record.status) && <RunError record={record} />}
      <div class="run-panels">
        <RunGraph record={record} states={run.states} given={given} />
        <section class="run-events" aria-labelledby="run-events-title">
          <h2 id="run-events-title">Events</h2>
          <EventLog events={run.events} />
        </section>
      </div>
      {record.status === "succeeded" && <RunResults record={record} given={given} />}
    </section>
  );
}

function RunError({ record }: { record: RunRecord }) {
  const error = record.error!;
  const step = failedStepOf(record);
  return (
    <div class="run-error" role="alert" data-testid="run-error" data-code={error.code}>
      <strong class="mono">{error.code}</strong>
      {step && <> at step <strong class="mono" data-testid="run-error-step">{step}</strong></>}
      <p>{error.message}</p>
    </div>
  );
}
