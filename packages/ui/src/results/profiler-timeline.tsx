/**
 * The profiler timeline of a run: one row per step with a bar on a common time axis (start to
 * finish), coloured by the step's status, the block's own time beside it, and steps a retry reused
 * from an earlier attempt marked (hatched, "reused").
 */
import type { RunRecord } from "@cvflow/wire";
import { useEffect, useState } from "preact/hooks";
import { formatDuration } from "../format.js";
import { tickLabel, timeline } from "./timeline.js";
import "./results.css";

/** How often the bars of running steps grow. */
const TICK_MS = 250;

export function ProfilerTimeline({ record }: { record: RunRecord }) {
  const running = record.steps.some((step) => step.status === "running" || step.status === "waiting");
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, [running]);
  const { totalMs, ticks, bars } = timeline(record, now);
  if (bars.length === 0) return <p class="muted" data-testid="timeline">No steps.</p>;
  return (
    <div class="timeline" data-testid="timeline" role="table" aria-label="Steps on a time axis">
      <div class="timeline-row timeline-axis" role="row" aria-hidden="true">
        <span class="timeline-name" />
        <span class="timeline-track">
          {ticks.map((tick) => (
            <span class="timeline-tick" style={{ left: `${(tick / totalMs) * 100}%` }}>
              {tickLabel(tick)}
            </span>
          ))}
        </span>
        <span class="timeline-time" />
      </div>
      {bars.map((bar) => (
        <div class="timeline-row" role="row" data-testid="timeline-bar" data-step={bar.name} data-status={bar.status} data-reused={bar.reused ? "true" : undefined}>
          <span class="timeline-name" role="rowheader" title={bar.block}>
            {bar.name}
          </span>
          <span class="timeline-track" role="cell">
            {bar.left !== undefined && (
              <span
                class={`timeline-bar status-${bar.status}${bar.reused ? " timeline-reused" : ""}`}
                style={{ left: `${bar.left}%`, width: `max(2px, ${bar.width}%)` }}
                title={`${bar.name}: ${bar.status}${bar.spanMs !== undefined ? `, ${formatDuration(bar.spanMs)} from start to finish` : ""}`}
              />
            )}
          </span>
          <span class="timeline-time" role="cell">
            {bar.durationMs !== undefined ? formatDuration(bar.durationMs) : bar.spanMs !== undefined ? formatDuration(bar.spanMs) : bar.status}
            {bar.reused && <span class="timeline-reused-note"> reused</span>}
          </span>
        </div>
      ))}
    </div>
  );
}
