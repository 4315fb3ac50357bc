/**
 * A run as the run view follows it: its record, and its events live from the last one seen (SDK
 * streamEvents, which reopens a dropped connection after the last event by itself; when it gives
 * up, this waits and opens it again). Following stops when the view unmounts (AbortSignal).
 *
 * The stream ends at a `run_finished`; the log may go on after it (a retry's attempt), so the
 * record's `lastSequence` says whether to open it again.
 */
import { CvflowError } from "@cvflow/sdk";
import { isFinished, type RunEvent, type RunRecord } from "@cvflow/wire";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { describeError } from "../errors.js";
import { api } from "../session.js";
import { NO_STEP_STATES, reduceStepStates, type StepStates } from "./step-states.js";

export type Connection = "connecting" | "live" | "reconnecting" | "ended";

interface FollowedRun {
  record: RunRecord | null;
  events: readonly RunEvent[];
  states: StepStates;
  connection: Connection;
  /** The run could not be read (not found, signed out, …). */
  error: string | null;
  /** Takes a record an action answered (cancel, retry, an answer) and follows the run on. */
  update(record?: RunRecord): void;
}

/** Events after which the record says something new (status, what it waits for, outputs). */
const RECORD_CHANGES = new Set<RunEvent["type"]>(["run_queued", "run_started", "input_required", "input_received", "run_finished"]);
/** The wait before a stream the SDK gave up on is opened again. */
const REOPEN_AFTER_MS = 2_000;
/** The wait before the record of a run whose stream has ended is read again. */
const RECHECK_MS = 300;

export function useRun(id: string): FollowedRun {
  const [record, setRecord] = useState<RunRecord | null>(null);
  const [log, setLog] = useState<{ events: RunEvent[]; states: StepStates }>({ events: [], states: NO_STEP_STATES });
  const [connection, setConnection] = useState<Connection>("connecting");
  const [error, setError] = useState<string | null>(null);
  // Bumped to follow again once the stream has ended (a retry appends a new attempt to the log).
  const [generation, setGeneration] = useState(0);
  const lastSeen = useRef(0);

  useEffect(() => {
    lastSeen.current = 0;
    setRecord(null);
    setLog({ events: [], states: NO_STEP_STATES });
    setError(null);
  }, [id]);

  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    const refresh = async (): Promise<RunRecord> => {
      const fresh = await api().getRun(id);
      if (!signal.aborted) setRecord(fresh);
      return fresh;
    };
    const follow = async () => {
      let streamEnded = false;
      while (!signal.aborted) {
        try {
          let current = await refresh();
          const caughtUp = current.lastSequence <= lastSeen.current;
          if (caughtUp && isFinished(current.status)) break;
          if (caughtUp && streamEnded) {
            // The stream ended at run_finished a moment before the record says so: read it again shortly.
            await pause(RECHECK_MS, signal);
            continue;
          }
          setConnection(lastSeen.current === 0 ? "connecting" : "live");
          for await (const event of api().streamEvents(id, { after: lastSeen.current, signal })) {
            // Events already read when the view moved on (another run, a retry) are not this follow's to keep.
            if (signal.aborted) return;
            lastSeen.current = event.sequence;
            setConnection("live");
            setLog((log) => ({ events: [...log.events, event], states: reduceStepStates(log.states, event) }));
            // A record read after this event already tells what it changed: replaying a finished run's log reads it once, not once per event.
            if (RECORD_CHANGES.has(event.type) && event.sequence > current.lastSequence) current = await refresh();
          }
          streamEnded = true;
        } catch (failure) {
          if (signal.aborted) return;
          // The API's refusal (no such run, no access) is final; a lost connection is not.
          if (failure instanceof CvflowError && failure.status >= 400 && failure.status < 500 && failure.status !== 429) {
            setError(describeError(failure));
            break;
          }
          setConnection("reconnecting");
          await pause(REOPEN_AFTER_MS, signal);
        }
      }
      if (!signal.aborted) setConnection("ended");
    };
    void follow();
    return () => controller.abort();
  }, [id, generation]);

  const update = useCallback((answered?: RunRecord) => {
    if (answered) setRecord(answered);
    setGeneration((value) => value + 1);
  }, []);

  return { record, events: log.events, states: log.states, connection, error, update };
}

/** Resolves after `ms`, or at once when the signal fires. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
