/** The images below an S3 prefix, every page of the listing, in S3's (lexicographic) key order. */
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { S3Location } from "./s3-location.js";

export const IMAGE_EXTENSIONS = [".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff"];

/** `s3://` sources of the images below `prefix`, by extension (any case). */
export async function listImages(client: S3Client, prefix: S3Location): Promise<string[]> {
  const sources: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: prefix.bucket, Prefix: prefix.key, ContinuationToken: token }));
    for (const { Key: key } of page.Contents ?? []) {
      if (key && isImageKey(key)) sources.push(`s3://${prefix.bucket}/${key}`);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return sources;
}

function isImageKey(key: string): boolean {
  const lower = key.toLowerCase();
  return IMAGE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}
