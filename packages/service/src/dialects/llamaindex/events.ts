/**
 * `GET /events/{id}`: a run's events as LlamaIndex envelopes (envelopes.ts), as SSE (`id:` the
 * run's sequence number, `Last-Event-ID` resumes) or NDJSON with `sse=false`. From "now" by
 * default; `after_sequence=N` from after N, -1 from the start (cvflow numbers from 1, theirs
 * from 0: -1 and 0 both mean the first event). Internal events (a step's state) only with
 * `include_internal=true`. Any number of readers; each ends after the run's StopEvent; 204 when
 * the run has finished and nothing is left after the cursor.
 *
 * `POST /events/{id}`: a HumanResponseEvent answers the run's waiting `wait_for_input` step.
 */
import type { RunEvent, Runs } from "@cvflow/runs";
import { isFinished, runNotWaiting } from "@cvflow/runs";
import type { Principal } from "../../auth.js";
import { bodyObject } from "../../body.js";
import type { ServiceContext } from "../../context.js";
import { invalidRequest } from "../../errors.js";
import { lastEventId, ndjsonResponse, sseResponse, type StreamEvent } from "../../event-stream.js";
import { ok, type ServiceRequest, type ServiceResponse } from "../../http.js";
import { callerWorkspace, runsOf, visibleRun } from "../../run-access.js";
import { eventEnvelope, isInternal, type EventEnvelope } from "./envelopes.js";
import { handlerId } from "./handlers.js";
import { humanAnswer } from "./human-response.js";

export async function streamEvents(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const id = handlerId(request);
  const sse = flag(request.query["sse"], true);
  const includeInternal = flag(request.query["include_internal"], false);
  const includeQualifiedName = flag(request.query["include_qualified_name"], true);
  const requested = afterSequence(request.query["after_sequence"]);
  // As theirs: in SSE, `Last-Event-ID` (an EventSource's reconnect) wins over the parameter.
  const cursor = (sse ? lastEventId(request.headers) : undefined) ?? requested;
  const record = await visibleRun(runs, id, callerWorkspace(principal));
  const after = cursor === "now" ? await runs.events.lastSequence(id, record.lastSequence) : Math.max(0, cursor);

  // Keys only, no event read: is anything after the cursor?
  const nothingLeft = (await runs.events.lastSequence(id, after)) === after;
  if (nothingLeft && isFinished((await runs.get(id))?.status ?? record.status)) return { statusCode: 204, body: undefined };

  const envelopes = llamaEvents(runs, id, after, request.streamSignal, includeInternal, includeQualifiedName);
  const options = { signal: request.streamSignal, requestId: request.requestId };
  return sse ? sseResponse(asSse(envelopes), options) : ndjsonResponse(asValues(envelopes), options);
}

export async function sendEvent(ctx: ServiceContext, request: ServiceRequest, principal: Principal): Promise<ServiceResponse> {
  const runs = runsOf(ctx);
  const id = handlerId(request);
  const fields = bodyObject(request.body);
  if (!fields["event"]) throw invalidRequest("Event data is required: `event` is the HumanResponseEvent, `{\"type\": ..., \"value\": {...}}`", { field: "event" });
  const record = await visibleRun(runs, id, callerWorkspace(principal));
  if (isFinished(record.status) || !record.waitingFor) throw runNotWaiting(id, record.status);
  const step = fields["step"];
  if (step !== undefined && step !== null && step !== record.waitingFor.step) {
    throw invalidRequest(`Step "${String(step)}" is not waiting for input; step "${record.waitingFor.step}" is`, { field: "step" });
  }
  await runs.answer(id, humanAnswer(fields["event"], record.waitingFor.schema));
  return ok({ status: "sent" });
}

interface Numbered {
  sequence: number;
  envelope: EventEnvelope;
}

/** The run's events after `after` as envelopes, until its StopEvent (or the signal). */
async function* llamaEvents(runs: Runs, id: string, after: number, signal: AbortSignal, includeInternal: boolean, includeQualifiedName: boolean): AsyncGenerator<Numbered> {
  for await (const event of runs.events.follow(id, after, { signal })) {
    const envelope = eventEnvelope(event, await finalOf(runs, event));
    if (!envelope || (!includeInternal && isInternal(envelope))) continue;
    yield { sequence: event.sequence, envelope: includeQualifiedName ? envelope : { ...envelope, qualified_name: null } };
  }
}

/** What a `run_finished` event's StopEvent carries: the record as the run ended, and its outputs. */
async function finalOf(runs: Runs, event: RunEvent): Promise<Parameters<typeof eventEnvelope>[1]> {
  if (event.type !== "run_finished") return undefined;
  const record = await runs.get(event.runId);
  if (!record) return undefined;
  return { record, outputs: event.status === "succeeded" ? await runs.outputs(record) : undefined };
}

async function* asSse(events: AsyncIterable<Numbered>): AsyncGenerator<StreamEvent> {
  for await (const { sequence, envelope } of events) yield { id: sequence, data: envelope };
}

async function* asValues(events: AsyncIterable<Numbered>): AsyncGenerator<EventEnvelope> {
  for await (const { envelope } of events) yield envelope;
}

/** Their booleans: only "true" is true (any case); absent is the default. */
function flag(value: string | undefined, fallback: boolean): boolean {
  return value === undefined ? fallback : value.toLowerCase() === "true";
}

function afterSequence(value: string | undefined): number | "now" {
  if (value === undefined || value.toLowerCase() === "now") return "now";
  if (!/^-?\d+$/.test(value.trim())) throw invalidRequest(`Invalid after_sequence: '${value}'`, { field: "after_sequence" });
  return Number(value);
}
