/**
 * The run's workflow as a graph, its steps lit from the run's events. The definition is the saved
 * workflow's at the version the run used (the record names both), or an inline run's own, from what
 * the run was given. Without one (a sync inline run keeps none), its steps are listed.
 */
import type { RunRecord } from "@cvflow/wire";
import { useEffect, useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { statusText } from "../graph/graph-text.js";
import { WorkflowGraph } from "../graph/workflow-graph.js";
import { api } from "../session.js";
import type { StepStates } from "./step-states.js";
import type { GivenInputs } from "./use-run-inputs.js";

interface Drawn {
  definition?: unknown;
  note?: string;
}

export function RunGraph({ record, states, given }: { record: RunRecord; states: StepStates; given: GivenInputs }) {
  const { workspace, id, versionId } = record.workflow;
  const [saved, setSaved] = useState<Drawn | null>(null);
  useEffect(() => {
    let current = true;
    setSaved(null);
    if (!workspace || !id) return;
    const client = api();
    (versionId === undefined ? client.getWorkflow(workspace, id) : client.getWorkflow(workspace, id, { versionId }))
      .then(
        (found) => current && setSaved({ definition: found.specification }),
        (error: unknown) => current && setSaved({ note: `The workflow could not be read: ${describeError(error)}` }),
      );
    return () => {
      current = false;
    };
  }, [workspace, id, versionId]);

  const drawn = workspace && id ? saved : inlineDefinition(given);
  if (!drawn) return <p class="muted">Reading the workflow…</p>;
  return (
    <section class="run-graph" aria-label="Graph">
      {drawn.note && <p class="muted">{drawn.note}</p>}
      {drawn.definition !== undefined ? <WorkflowGraph definition={drawn.definition} states={states} /> : <StepList states={states} />}
      <ReusedSteps states={states} />
    </section>
  );
}

/** An inline run's definition, as GET /runs/{id}/inputs gives it back (a sync run keeps none). */
function inlineDefinition(given: GivenInputs): Drawn | null {
  if (given.state === "loading") return null;
  if (given.state === "read" && given.inputs.specification) return { definition: given.inputs.specification };
  const why = given.state === "none" ? given.note : "The run's definition is not kept.";
  return { note: `${why} Its steps are listed as its events name them.` };
}

/** Without a definition to draw: each step the events named, with its state. */
function StepList({ states }: { states: StepStates }) {
  if (states.size === 0) return null;
  return (
    <ul class="step-list" data-testid="step-list">
      {[...states].map(([step, state]) => (
        <li key={step} data-step={step} data-status={state.status}>
          <span class={`status-dot status-${state.status}`} aria-hidden="true" /> {step}: {statusText(state)}
        </li>
      ))}
    </ul>
  );
}

/** Steps whose outputs were restored from their checkpoints (a retry, or the run going on after an answer) instead of run again. */
function ReusedSteps({ states }: { states: StepStates }) {
  const reused = [...states].filter(([, state]) => state.reused).map(([step]) => step);
  if (reused.length === 0) return null;
  return <p class="muted" data-testid="reused-steps">Taken from their checkpoints, not run again: {reused.join(", ")}.</p>;
}
