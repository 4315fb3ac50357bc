/** What a job's output prefix already holds: which images have results, which a failure record. */
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
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
 * Whether `image` has its results or its failure record: one listing of its own folder, with a
 * delimiter so that the folders of images named below it (`a/b` below `a`) do not count.
 */
export async function imageDone(client: S3Client, output: S3Location, image: string): Promise<boolean> {
  const folder = `${output.key}${image}/`;
  const page = await client.send(new ListObjectsV2Command({ Bucket: output.bucket, Prefix: folder, Delimiter: "/" }));
  return (page.Contents ?? []).some(({ Key: key }) => key === folder + RESULTS_FILE || key === folder + FAILURE_FILE);
}
