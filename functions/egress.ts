/**
 * What the blocks that call out get from the deployment (Egress): the image URLs' policy for every
 * outbound call, the providers' addresses it moved (CVFLOW_<PROVIDER>_BASE_URL), and s3_sink's
 * writes — to the deployment's bucket under its sink prefix or to the buckets it lists, with the
 * function's role (the IAM infra grants: infra/iam-policies.ts), or with a step's own credentials,
 * against the same S3 (locally the loopback server); local_file_sink's folder. Every function that runs workflows builds its
 * engine with it: the API, the runs function, the batch worker and Finalize (a video job's replay).
 */
import type { Egress } from "@cvflow/blocks";
import { s3ObjectWriter } from "@cvflow/store";
import type { UrlPolicy } from "@cvflow/vision";
import type { DeploymentEnv } from "./deployment-env.js";

export function deploymentEgress(config: DeploymentEnv, urlPolicy: UrlPolicy): Egress {
  return {
    urlPolicy,
    endpoints: config.endpoints,
    s3: {
      bucket: config.bucket,
      prefix: config.s3Sink.prefix,
      allowedBuckets: config.s3Sink.buckets,
      put: s3ObjectWriter({ region: config.region, endpoint: config.s3Endpoint, credentials: config.credentials }),
    },
    ...(config.localFileRoot ? { localFileRoot: config.localFileRoot } : {}),
  };
}
