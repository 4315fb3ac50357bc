/** The run's events as they come: one line each, in order, the newest kept in view while the reader is at the bottom. */
import type { RunEvent } from "@cvflow/wire";
import { useLayoutEffect, useRef } from "preact/hooks";
import { formatDuration } from "../format.js";

export function EventLog({ events }: { events: readonly RunEvent[] }) {
  const list = useRef<HTMLOListElement>(null);
  const pinned = useRef(true);
  useLayoutEffect(() => {
    const element = list.current;
    if (element && pinned.current) element.scrollTop = element.scrollHeight;
  }, [events.length]);
  const start = events[0] ? Date.parse(events[0].at) : 0;
  return (
    <ol class="event-log" data-testid="event-log" ref={list} tabIndex={0} aria-label="Events"
      onScroll={(event) => {
        const element = event.currentTarget;
        pinned.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
      }}
    >
      {events.length === 0 && <li class="muted">No events yet.</li>}
      {events.map((event) => (
        <li key={event.sequence} data-type={event.type} data-sequence={event.sequence}>
          <span class="event-time mono" title={event.at}>+{formatDuration(Date.parse(event.at) - start)}</span>
          <span class="event-type mono">{event.type}</span>
          <span class="event-detail" title={"block" in event ? event.block : undefined}>{detailOf(event)}</span>
        </li>
      ))}
    </ol>
  );
}

function detailOf(event: RunEvent): string {
  switch (event.type) {
    case "run_queued":
      return "";
    case "run_started":
      return `attempt ${event.attempt}`;
    case "step_started":
      return event.step;
    case "step_finished": {
      const parts = [formatDuration(event.durationMs), `${event.elements} run`];
      if (event.skipped > 0) parts.push(`${event.skipped} skipped`);
      if (event.reused) parts.push("taken from its checkpoint");
      return `${event.step}: ${parts.join(", ")}`;
    }
    case "step_failed":
      return `${event.step}: ${event.error.code}: ${event.error.message}`;
    case "input_required":
      return `${event.request.step} waits for an answer`;
    case "input_received":
      return `${event.step} answered`;
    case "run_finished":
      return `${event.status} in ${formatDuration(event.elapsedMs)}${event.error ? `: ${event.error.code}: ${event.error.message}` : ""}`;
  }
}
