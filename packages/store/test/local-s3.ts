/** The stores' tests run against the real local S3 server (@cvflow/local) on an ephemeral loopback port. */
import { startLocalS3, type LocalS3 } from "@cvflow/local/s3-fixture";
import type { MakeStore } from "./contract/store-under-test.js";

/** A store over a fresh local bucket, as a contract suite (or useStore) takes it. */
export function onLocalBucket<T>(make: (local: LocalS3) => T): MakeStore<T> {
  return async () => {
    const local = await startLocalS3();
    return { store: make(local), close: () => local.close() };
  };
}
