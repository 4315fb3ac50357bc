/**
 * A succeeded run's results: its outputs (detections drawn over the input image they came from:
 * the run's own inputs, as GET /runs/{id}/inputs gives them back) and its steps' timeline.
 */
import type { RunRecord } from "@cvflow/wire";
import { useMemo } from "preact/hooks";
import { ProfilerTimeline } from "../results/profiler-timeline.js";
import { RunOutputs } from "../results/run-outputs.js";
import { inputImageUrls } from "./input-images.js";
import type { GivenInputs } from "./use-run-inputs.js";

export function RunResults({ record, given }: { record: RunRecord; given: GivenInputs }) {
  const inputImages = useMemo(() => (given.state === "read" ? inputImageUrls(given.inputs.inputs) : {}), [given]);
  return (
    <section class="run-results" aria-labelledby="run-results-title">
      <h2 id="run-results-title">Outputs</h2>
      {given.state === "none" && <p class="muted">{given.note} Detections are drawn without their image.</p>}
      {given.state === "loading" ? <p class="muted">Reading the run's inputs…</p> : <RunOutputs outputs={record.outputs ?? []} inputImages={inputImages} />}
      <h2>Timeline</h2>
      <ProfilerTimeline record={record} />
    </section>
  );
}
