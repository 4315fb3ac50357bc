/** The run's events as they come: one line each, in order, the newest kept in view while the reader is at the bottom. */
import { runEventDetail, type RunEvent } from "@cvflow/wire";
import { useLayoutEffect, useRef } from "preact/hooks";
import { formatDuration } from "../format.js";
import { clipString } from "../results/json-text.js";

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
      {events.map((event) => {
        // The CLI's words for the event (an answer or a schema can be long: clipped, all of it in the tooltip).
        const detail = runEventDetail(event, formatDuration);
        const { shown, clipped } = clipString(detail);
        return (
          <li key={event.sequence} data-type={event.type} data-sequence={event.sequence}>
            <span class="event-time mono" title={event.at}>+{formatDuration(Date.parse(event.at) - start)}</span>
            <span class="event-type mono">{event.type}</span>
            <span class="event-detail" title={clipped ? detail : undefined}>{clipped ? `${shown}…` : detail}</span>
          </li>
        );
      })}
    </ol>
  );
}
