/**
 * A succeeded run's results: its outputs (detections drawn over the input image they came from:
 * the run's own inputs, read back through GET /runs/{id}/inputs) and its steps' timeline.
 */
import { CvflowError } from "@cvflow/sdk";
import type { RunRecord } from "@cvflow/wire";
import { useEffect, useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { ProfilerTimeline } from "../results/profiler-timeline.js";
import { RunOutputs } from "../results/run-outputs.js";
import { api } from "../session.js";
import { inputImageUrls } from "./input-images.js";

export function RunResults({ record }: { record: RunRecord }) {
  const [inputImages, setInputImages] = useState<Record<string, string> | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    api()
      .runInputs(record.id)
      .then(
        (given) => current && setInputImages(inputImageUrls(given.inputs)),
        (error: unknown) => {
          if (!current) return;
          setInputImages({});
          // A sync run keeps no inputs: its outputs are shown without the image under them.
          setNote(error instanceof CvflowError && error.code === "run_inputs_not_kept" ? "This run kept no inputs (a sync run): detections are drawn without their image." : `The run's inputs could not be read: ${describeError(error)}`);
        },
      );
    return () => {
      current = false;
    };
  }, [record.id]);

  return (
    <section class="run-results" aria-labelledby="run-results-title">
      <h2 id="run-results-title">Outputs</h2>
      {note && <p class="muted">{note}</p>}
      {inputImages === null ? <p class="muted">Reading the run's inputs…</p> : <RunOutputs outputs={record.outputs ?? []} inputImages={inputImages} />}
      <h2>Timeline</h2>
      <ProfilerTimeline record={record} />
    </section>
  );
}
