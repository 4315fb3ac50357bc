/** Every call of the S3 client is a transient wait (@cvflow/engine's transient-waits.ts): store latency comes and goes. */
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { watchTransientWaits } from "@cvflow/engine";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
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
