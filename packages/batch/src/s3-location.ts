/** `s3://bucket/key` addresses, as jobs name their inputs and outputs. */

export interface S3Location {
  bucket: string;
  key: string;
}

const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*)$/s;

/** Undefined when `url` is not `s3://<valid bucket>/…`. */
export function parseS3Url(url: string): S3Location | undefined {
  const match = S3_URL.exec(url);
  return match ? { bucket: match[1]!, key: match[2]! } : undefined;
}
