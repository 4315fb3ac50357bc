/** Every call of the S3 client is a transient wait (@cvflow/engine's transient-waits.ts): store latency comes and goes. */
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { transientWaits, type TransientWaitContext } from "@cvflow/engine";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalBucket, type LocalBucket } from "./local-s3.js";

let s3: LocalBucket;
beforeAll(async () => {
  s3 = await startLocalBucket();
});
afterAll(() => s3?.close());

it("traces each call from its start to its answer", async () => {
  const events: string[] = [];
  const handlers = {
    start: (context: TransientWaitContext) => events.push(`start ${context.kind}`),
    end: () => {},
    asyncStart: () => {},
    asyncEnd: (context: TransientWaitContext) => events.push(`end ${context.kind}`),
    error: () => {},
  };
  transientWaits.subscribe(handlers);
  try {
    await s3.client.send(new HeadBucketCommand({ Bucket: s3.bucket }));
    expect(events).toEqual(["start store", "end store"]);
  } finally {
    transientWaits.unsubscribe(handlers);
  }
});
