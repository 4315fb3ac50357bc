/** Every call of the S3 client is a transient wait (@cvflow/engine's transient-waits.ts): store latency comes and goes. */
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { watchTransientWaits } from "@cvflow/engine";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalBucket, type LocalBucket } from "./local-s3.js";

let s3: LocalBucket;
beforeAll(async () => {
  s3 = await startLocalBucket();
});
afterAll(() => s3?.close());

it("traces each call from its start to its answer", async () => {
  const events: string[] = [];
  const stop = watchTransientWaits({ start: ({ kind }) => events.push(`start ${kind}`), end: ({ kind }) => events.push(`end ${kind}`) });
  try {
    await s3.client.send(new HeadBucketCommand({ Bucket: s3.bucket }));
    expect(events).toEqual(["start store", "end store"]);
  } finally {
    stop();
  }
});
