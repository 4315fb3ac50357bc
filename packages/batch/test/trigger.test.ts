/** The S3 trigger: job.json keys only, decoded as S3 encodes them, one execution per event however often it is delivered. */
import type { S3Event } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createTrigger, type BatchExecutions } from "../src/index.js";

function event(key: string, sequencer: string, bucket = "cvflow", eventName = "ObjectCreated:Put"): S3Event {
  return { Records: [{ eventName, s3: { bucket: { name: bucket }, object: { key, sequencer } } }] } as unknown as S3Event;
}

function executions(): BatchExecutions & { names: string[] } {
  const names: string[] = [];
  return {
    names,
    start: async (name) => (names.includes(name) ? { started: false } : (names.push(name), { started: true })),
    stop: async () => undefined,
  };
}

describe("the batch trigger", () => {
  it("starts one execution per event, named after the job and the event, and another for a new upload", async () => {
    const started = executions();
    const trigger = createTrigger({ executions: started, bucket: "cvflow" });
    expect(await trigger(event("batches/shelves-1/job.json", "0055AED6DCD90281E5"))).toEqual({ started: ["shelves-1-0055AED6DCD90281E5"], existing: [], ignored: [] });
    // S3 delivers at least once: the same event again starts nothing.
    expect(await trigger(event("batches/shelves-1/job.json", "0055AED6DCD90281E5"))).toEqual({ started: [], existing: ["shelves-1-0055AED6DCD90281E5"], ignored: [] });
    expect((await trigger(event("batches/shelves-1/job.json", "0055AED6DCD90281F0"))).started).toEqual(["shelves-1-0055AED6DCD90281F0"]);
    expect(started.names).toHaveLength(2);
  });

  it("ignores other keys, other buckets, other events and job ids that cannot name an execution", async () => {
    const started = executions();
    const trigger = createTrigger({ executions: started, bucket: "cvflow" });
    const ignored = [
      event("batches/a/output/x/results.json", "1"),
      event("batches/a/job.json", "2", "elsewhere"),
      event("batches/a/job.json", "3", "cvflow", "ObjectRemoved:Delete"),
      event("batches/my+job/job.json", "4"), // "my job": S3 sends spaces as "+"
      event("batches/x%2Fy/job.json", "5"),
    ];
    for (const one of ignored) expect((await trigger(one)).ignored).toHaveLength(1);
    expect(started.names).toEqual([]);
  });
});
