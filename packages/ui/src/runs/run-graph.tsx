/**
 * The run's workflow as a graph, its steps lit from the run's events. The definition is the saved
 * workflow's (the record names it; the service keeps no older version's text to read, so a run of
 * an older version is drawn with the current one, and says so). An inline run's definition is not
 * readable back: its steps are listed instead.
 */
import type { RunRecord } from "@cvflow/wire";
import { useEffect, useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { WorkflowGraph } from "../graph/workflow-graph.js";
import { api } from "../session.js";
import { formatDuration } from "./run-facts.js";
import type { StepStates } from "./step-states.js";

interface Drawn {
  definition?: unknown;
  note?: string;
}

export function RunGraph({ record, states }: { record: RunRecord; states: StepStates }) {
  const { workspace, id, versionId } = record.workflow;
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  useEffect(() => {
    let current = true;
    if (!workspace || !id) {
      setDrawn({ note: "An inline run: its definition is not kept where the page can read it." });
      return;
    }
    api()
      .getWorkflow(workspace, id)
      .then(
        (saved) => {
          const older = versionId !== undefined && saved.workflow.versionId !== versionId;
          current && setDrawn({ definition: saved.specification, ...(older ? { note: "This run used an older version of the workflow; the graph is the current version's." } : {}) });
        },
        (error: unknown) => current && setDrawn({ note: `The workflow could not be read: ${describeError(error)}` }),
      );
    return () => {
      current = false;
    };
  }, [workspace, id, versionId]);

  if (!drawn) return <p class="muted">Reading the workflow…</p>;
  return (
    <section class="run-graph" aria-label="Graph">
      {drawn.note && <p class="muted">{drawn.note}</p>}
      {drawn.definition !== undefined ? <WorkflowGraph definition={drawn.definition} states={states} /> : <StepList states={states} />}
      <ReusedSteps states={states} />
    </section>
  );
}

/** Without a definition to draw: each step the events named, with its state. */
function StepList({ states }: { states: StepStates }) {
  if (states.size === 0) return null;
  return (
    <ul class="step-list" data-testid="step-list">
      {[...states].map(([step, state]) => (
        <li key={step} data-step={step} data-status={state.status}>
          <span class={`status-dot status-${state.status}`} aria-hidden="true" /> {step}: {state.status}
          {state.durationMs !== undefined && ` · ${formatDuration(state.durationMs)}`}
        </li>
      ))}
    </ul>
  );
}

/** A retry's reused steps (their outputs restored from checkpoints, not run again). */
function ReusedSteps({ states }: { states: StepStates }) {
  const reused = [...states].filter(([, state]) => state.reused).map(([step]) => step);
  if (reused.length === 0) return null;
  return <p class="muted" data-testid="reused-steps">Reused from the previous attempt: {reused.join(", ")}.</p>;
}
