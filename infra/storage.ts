/**
 * The bucket: workflows, keys, uploads, batch jobs and offloaded results. Encrypted at rest
 * (SSE-S3), every public access blocked, HTTPS only, CORS for presigned uploads from browsers,
 * and an expiry for each prefix of infra/bucket-rules.ts.
 */
import * as aws from "@pulumi/aws";
import { ABORT_INCOMPLETE_UPLOAD_DAYS, EXPIRY_RULES, uploadCorsRule } from "./bucket-rules.js";
import { policyDocument, tlsOnlyStatements } from "./iam-policies.js";

export interface StorageArgs {
  /** `{app}-{stage}`: the bucket's name starts with it. */
  prefix: string;
  uploadOrigins: string[];
  /** Delete the objects with the bucket when the stage is removed (never for production). */
  forceDestroy: boolean;
}

export function createStorage(args: StorageArgs): { bucket: aws.s3.Bucket } {
  const bucket = new aws.s3.Bucket("Bucket", { bucketPrefix: `${args.prefix}-`, forceDestroy: args.forceDestroy });
  new aws.s3.BucketOwnershipControls("BucketOwnership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  new aws.s3.BucketPublicAccessBlock("BucketPublicAccess", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new aws.s3.BucketServerSideEncryptionConfiguration("BucketEncryption", {
    bucket: bucket.id,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
  });
  new aws.s3.BucketPolicy("BucketTlsOnly", { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(policyDocument(tlsOnlyStatements(arn)))) });
  new aws.s3.BucketCorsConfiguration("BucketCors", { bucket: bucket.id, corsRules: [uploadCorsRule(args.uploadOrigins)] });
  new aws.s3.BucketLifecycleConfiguration("BucketLifecycle", {
    bucket: bucket.id,
    rules: [
      ...EXPIRY_RULES.map((rule) => ({ id: rule.id, status: "Enabled", filter: { prefix: rule.prefix }, expiration: { days: rule.days } })),
      { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS } },
    ],
  });
  return { bucket };
}
