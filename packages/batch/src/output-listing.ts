/** What a job's output prefix already holds: which images have results, which a failure record. */
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { isNotFound } from "@cvflow/store";
import { FAILURE_FILE, RESULTS_FILE } from "./layout.js";
import type { S3Location } from "./s3-location.js";

export interface OutputDocuments {
  /** Image names with `{image}/results.json`. */
  results: Set<string>;
  /** Image names with `{image}/failure.json`. */
  failures: Set<string>;
}

/** One listing of the whole prefix, page by page. */
export async function listOutputDocuments(client: S3Client, output: S3Location): Promise<OutputDocuments> {
  const documents: OutputDocuments = { results: new Set(), failures: new Set() };
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: output.bucket, Prefix: output.key, ContinuationToken: token }));
    for (const { Key: key } of page.Contents ?? []) {
      const relative = key?.slice(output.key.length) ?? "";
      if (relative.endsWith(`/${RESULTS_FILE}`)) documents.results.add(relative.slice(0, -RESULTS_FILE.length - 1));
      else if (relative.endsWith(`/${FAILURE_FILE}`)) documents.failures.add(relative.slice(0, -FAILURE_FILE.length - 1));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return documents;
}

/**
 * Whether `image` has its results or its failure record: a HEAD of each (GET-class requests, a
 * twelfth of a LIST's price), results.json first. Only asked when the image may have been done
 * before (a retried batch, a job run again); a first attempt writes conditionally instead.
 */
export async function imageDone(client: S3Client, output: S3Location, image: string): Promise<boolean> {
  for (const file of [RESULTS_FILE, FAILURE_FILE]) {
    try {
      await client.send(new HeadObjectCommand({ Bucket: output.bucket, Key: `${output.key}${image}/${file}` }));
      return true;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return false;
}

/** Whether the output prefix holds anything yet: one LIST of at most one key (Prepare asks, once per execution). */
export async function hasOutput(client: S3Client, output: S3Location): Promise<boolean> {
  const page = await client.send(new ListObjectsV2Command({ Bucket: output.bucket, Prefix: output.key, MaxKeys: 1 }));
  return (page.KeyCount ?? page.Contents?.length ?? 0) > 0;
}
