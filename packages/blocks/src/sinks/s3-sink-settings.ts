/**
 * Where s3_sink may write, as a deployment decides it. A plain module (no imports), exported as
 * `@cvflow/blocks/s3-sink-settings`: the functions read the settings from their environment, infra
 * reads the same variables to grant the IAM that allows exactly that.
 *
 * - Without credentials of its own, a step writes with the deployment's role: to the deployment's
 *   bucket (no bucket_name, or its name) under CVFLOW_S3_SINK_PREFIX (default `sinks/`), or to a
 *   bucket listed, comma-separated, in CVFLOW_S3_SINK_BUCKETS (anywhere in it) — the buckets infra
 *   grants s3:PutObject on. Any other bucket is refused before anything is sent.
 * - With aws_access_key_id and aws_secret_access_key, a step writes with those, as given, to the
 *   bucket it names: what they may do is their account's business.
 */

export const S3_SINK_BUCKETS_VARIABLE = "CVFLOW_S3_SINK_BUCKETS";
export const S3_SINK_PREFIX_VARIABLE = "CVFLOW_S3_SINK_PREFIX";
export const DEFAULT_S3_SINK_PREFIX = "sinks/";

/** S3's rule for bucket names (3-63 lower-case letters, digits, dots and hyphens, a letter or digit at each end). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The buckets CVFLOW_S3_SINK_BUCKETS lists; throws naming one that is no bucket name. */
export function s3SinkBuckets(env: Readonly<Record<string, string | undefined>>): string[] {
  const names = (env[S3_SINK_BUCKETS_VARIABLE] ?? "").split(",").map((name) => name.trim()).filter((name) => name !== "");
  const wrong = names.find((name) => !BUCKET_NAME.test(name));
  if (wrong !== undefined) throw new Error(`${S3_SINK_BUCKETS_VARIABLE} must list S3 bucket names, comma-separated; ${JSON.stringify(wrong)} is not one`);
  return names;
}

/** CVFLOW_S3_SINK_PREFIX, ending in `/`; it may not be empty (the deployment's own data lives beside it). */
export function s3SinkPrefix(env: Readonly<Record<string, string | undefined>>): string {
  const text = (env[S3_SINK_PREFIX_VARIABLE] ?? DEFAULT_S3_SINK_PREFIX).trim().replace(/^\/+/, "");
  if (text.replace(/\/+$/, "") === "") throw new Error(`${S3_SINK_PREFIX_VARIABLE} may not be empty: the deployment's workflows, keys and runs live in the same bucket`);
  return text.endsWith("/") ? text : `${text}/`;
}

/** One object to write. */
export interface S3ObjectPut {
  bucket: string;
  key: string;
  body: Uint8Array;
  contentType: string;
  /** The step's own credentials, used as given; absent: the deployment's role. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The bucket's region when the step names one; default the deployment's. */
  region?: string;
  signal: AbortSignal;
}

/** What the deployment gives s3_sink (Egress.s3). */
export interface S3SinkSettings {
  /** The deployment's bucket. */
  bucket: string;
  /** Where in it steps without credentials write (ends in `/`). */
  prefix: string;
  /** Other buckets the deployment's role may write (CVFLOW_S3_SINK_BUCKETS). */
  allowedBuckets: readonly string[];
  /**
   * Writes the object (retrying what S3 says may be retried); rejects with an Error whose message
   * is S3's answer, or with the signal's reason when it fires.
   */
  put(put: S3ObjectPut): Promise<void>;
}
