/**
 * The human-input use case end to end, over the real local stack with real models on a real
 * photo: the demo detect-review-classify (examples/), seeded as `npm start` seeds it, is started
 * async on bus.jpg; YOLOv8n detects, the run waits for a person (its event says what it asks, with
 * the answer's schema and the detections as data); a wrong answer is refused and the run keeps
 * waiting; the person's answer confirms some detections, corrects one box and leaves one out; the
 * run goes on from there — detection is not run again — and crops and classifies exactly what
 * was kept.
 */
import type { LocalStack } from "@cvflow/local";
import { missing } from "@cvflow/vision/test-assets";
import type { WireDetections, WirePrediction } from "@cvflow/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES_DIR } from "../examples/examples.js";
import { call, testStack } from "./local-stack.js";
import { photo } from "./vision-fixtures.js";

const DEMO = "detect-review-classify";

/** The run's events as NDJSON, read as they come until `until` holds for one (the connection is then dropped). */
async function eventsUntil(stack: LocalStack, id: string, until: (event: any) => boolean): Promise<any[]> {
  const connection = new AbortController();
  const response = await fetch(`${stack.url}/runs/${id}/events?format=ndjson`, { headers: { authorization: `Bearer ${stack.apiKey}` }, signal: connection.signal });
  expect(response.status).toBe(200);
  const events: any[] = [];
  const decoder = new TextDecoder();
  let buffered = "";
  try {
    for await (const chunk of response.body!) {
      buffered += decoder.decode(chunk, { stream: true });
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines.filter(Boolean)) {
        events.push(JSON.parse(line));
        if (until(events.at(-1))) {
          connection.abort();
          return events;
        }
      }
    }
  } catch (error) {
    if (!connection.signal.aborted) throw error;
  }
  return events;
}

/** `step_started detection`, `step_finished detection reused`, `input_required`, … */
const said = (e: any): string => (e.type.startsWith("step_") ? `${e.type} ${e.step}${e.reused ? " reused" : ""}` : e.type);

/** The crop dynamic_crop cuts for a box: its edges rounded to whole pixels, clipped to the image. */
function cropSize(p: WirePrediction, image: { width: number; height: number }): [number, number] {
  const edge = (v: number, size: number) => Math.min(Math.max(Math.round(v), 0), size);
  return [edge(p.x + p.width / 2, image.width) - edge(p.x - p.width / 2, image.width), edge(p.y + p.height / 2, image.height) - edge(p.y - p.height / 2, image.height)];
}

describe.skipIf(missing("the human-input use case over HTTP", { models: ["yolov8n-640", "mobilenetv2-imagenet"], photos: ["bus.jpg"] }))("detect, a person reviews, crop and classify (detect-review-classify, async)", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await testStack({ examplesDir: EXAMPLES_DIR });
  });
  afterAll(() => stack?.close());

  it("waits with the detections, refuses an answer off the schema, and goes on with the answer without detecting again", async () => {
    expect(stack.seeded).toContain(DEMO);
    const started = await call(stack, "POST", `/${stack.workspace}/workflows/${DEMO}/runs`, { body: { inputs: { image: photo("bus.jpg") } } });
    expect(started.status).toBe(202);
    const id: string = started.body.id;

    // Followed until it asks.
    const asking = await eventsUntil(stack, id, (e) => e.type === "input_required");
    expect(asking.map(said)).toEqual(["run_queued", "run_started", "step_started detection", "step_finished detection", "step_started review", "input_required"]);
    const request = asking.at(-1).request;
    expect(request.step).toBe("review");
    expect(request.prompt).toContain("confidence under 0.6");
    expect(request.schema).toMatchObject({ type: "object", required: ["predictions"], properties: { predictions: { type: "array" } } });
    // The data are the detections, on the wire: bus.jpg's bus and four people, one of them (cut by the frame) doubtful.
    const shown = request.data as WireDetections;
    expect(shown.image).toEqual({ width: 810, height: 1080 });
    expect(shown.predictions.map((p) => p.class).sort()).toEqual(["bus", "person", "person", "person", "person"]);
    const doubtful = shown.predictions.filter((p) => p.confidence < 0.6);
    expect(doubtful.map((p) => p.class)).toEqual(["person"]);

    const waiting = await call(stack, "GET", `/runs/${id}`);
    expect(waiting.body).toMatchObject({ status: "waiting", waitingFor: { step: "review", prompt: request.prompt, schema: request.schema, data: shown } });
    const detection = waiting.body.steps.find((s: any) => s.name === "detection");
    expect(detection).toMatchObject({ status: "succeeded", attempts: 1 });

    // An answer off the schema: 400 with a pointer to what is wrong, and the run still waits for the same question.
    const wrong = await call(stack, "POST", `/runs/${id}/input`, { body: { answer: { predictions: [{ x: 100, y: 100, width: -20, height: 40, class: "bus" }] } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: "invalid_answer", details: { step: "review", pointer: "/predictions/0/width" } });
    const missingClass = await call(stack, "POST", `/runs/${id}/input`, { body: { answer: { predictions: [{ x: 100, y: 100, width: 20, height: 40 }] } } });
    expect(missingClass.status).toBe(400);
    expect(missingClass.body.error).toMatchObject({ code: "invalid_answer", details: { pointer: "/predictions/0" } });
    expect(missingClass.body.error.message).toContain("class");
    const still = await call(stack, "GET", `/runs/${id}`);
    expect(still.body).toMatchObject({ status: "waiting", lastSequence: waiting.body.lastSequence, waitingFor: { step: "review", requestedAt: waiting.body.waitingFor.requestedAt } });
    expect(still.body.answers).toBeUndefined();

    // The person: the doubtful person left out, the bus's box corrected (tighter), the other people confirmed as they are.
    const bus = shown.predictions.find((p) => p.class === "bus")!;
    // Its edges whole pixels, so its crop is exactly its size.
    const [left, top, right, bottom] = [Math.round(bus.x - bus.width / 2) + 30, Math.round(bus.y - bus.height / 2) + 20, Math.round(bus.x + bus.width / 2) - 30, Math.round(bus.y + bus.height / 2) - 20];
    const corrected = { ...bus, x: (left + right) / 2, y: (top + bottom) / 2, width: right - left, height: bottom - top };
    const kept = shown.predictions.filter((p) => p.confidence >= 0.6 && p.class !== "bus");
    const answer = { image: shown.image, predictions: [...kept, corrected] };
    const answeredAt = Date.now();
    const answered = await call(stack, "POST", `/runs/${id}/input`, { body: { answer } });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: "running", answers: { review: answer } });

    const rest = await eventsUntil(stack, id, (e) => e.type === "run_finished");
    const finishedAfterMs = Date.parse(rest.at(-1).at) - answeredAt;
    const after = rest.slice(asking.length);
    expect(after.map(said)).toEqual([
      "input_received",
      // the segment after the answer: detection restored from its checkpoint, not run
      "step_finished detection reused",
      "step_started review",
      "step_finished review",
      "step_started crops",
      "step_finished crops",
      "step_started classification",
      "step_finished classification",
      "step_started crop_class",
      "step_finished crop_class",
      "step_started crop_classes",
      "step_finished crop_classes",
      "step_started confirmed_count",
      "step_finished confirmed_count",
      "run_finished",
    ]);
    expect(after[0]).toMatchObject({ step: "review", answer });
    expect(rest.at(-1)).toMatchObject({ status: "succeeded" });

    const done = (await call(stack, "GET", `/runs/${id}`)).body;
    expect(done.status).toBe("succeeded");
    expect(done.answers).toEqual({ review: answer });
    expect(done.waitingFor).toBeUndefined();
    // Detection ran once, before the wait: its record is the one it had then.
    expect(done.steps.find((s: any) => s.name === "detection")).toEqual(detection);
    expect(done.attempts).toEqual([expect.objectContaining({ number: 1, status: "succeeded", reusedSteps: ["detection"] })]);

    const [out] = done.outputs;
    expect((out.detected as WireDetections).predictions).toEqual(shown.predictions);
    expect(out.confirmed).toEqual(answer);
    expect(out.confirmed_count).toBe(answer.predictions.length);
    expect(out.crop_classes).toHaveLength(answer.predictions.length);
    // Each classification is of one kept box's crop: the box's detection id as its parent, the box's size as its image.
    const classified = out.classifications as { parent_id: string; image: { width: number; height: number }; top: string }[];
    expect(classified.map((c) => c.parent_id)).toEqual(answer.predictions.map((p) => p.detection_id));
    expect(classified.map((c) => [c.image.width, c.image.height])).toEqual(answer.predictions.map((p) => cropSize(p, shown.image as { width: number; height: number })));
    expect(classified.at(-1)!.image).toEqual({ width: corrected.width, height: corrected.height });
    expect(classified.map((c) => c.top)).toEqual(out.crop_classes);
    console.log(`human input: ${shown.predictions.length} detected, ${answer.predictions.length} confirmed (1 corrected, 1 left out) -> ${out.crop_classes.length} classified (${out.crop_classes.join(", ")}); answer to finished ${finishedAfterMs} ms`);
  });
});
