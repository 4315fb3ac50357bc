/** The bucket under Pulumi's mocks, and its expiry rules against the prefixes the code writes. */
import { describe, expect, it } from "vitest";
import { UPLOADS_PREFIX, type BlobStore } from "@cvflow/store";
import { fitResponse } from "@cvflow/service/fit-response";
import { EXPIRY_RULES } from "../bucket-rules.js";
import { mockDeployment, PREFIX } from "./mock-deployment.js";

describe("the bucket", async () => {
  const deployment = await mockDeployment({ CVFLOW_UPLOAD_ORIGINS: "https://app.example.com, https://admin.example.com" });
  const of = (type: string, name: string) => deployment.resource(`aws:s3/${type}`, name).inputs;
  const bucket = deployment.outputs.bucket;

  it("is named after the app and stage", () => {
    expect(of("bucket:Bucket", "Bucket")["bucketPrefix"]).toBe(`${PREFIX}-`);
  });

  it("is encrypted at rest", () => {
    expect(of("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "BucketEncryption")).toEqual({
      bucket: "Bucket-id",
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
  });

  it("blocks every public access, and ACLs altogether", () => {
    expect(of("bucketPublicAccessBlock:BucketPublicAccessBlock", "BucketPublicAccess")).toEqual({
      bucket: "Bucket-id",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(of("bucketOwnershipControls:BucketOwnershipControls", "BucketOwnership")["rule"]).toEqual({ objectOwnership: "BucketOwnerEnforced" });
  });

  it("refuses plain HTTP", () => {
    const policy = JSON.parse(of("bucketPolicy:BucketPolicy", "BucketTlsOnly")["policy"]);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    ]);
  });

  it("lets the configured origins' browsers PUT presigned uploads", () => {
    expect(of("bucketCorsConfiguration:BucketCorsConfiguration", "BucketCors")["corsRules"]).toEqual([
      {
        allowedMethods: ["PUT", "GET", "HEAD"],
        allowedOrigins: ["https://app.example.com", "https://admin.example.com"],
        allowedHeaders: ["content-type"],
        exposeHeaders: ["ETag"],
        maxAgeSeconds: 3600,
      },
    ]);
  });

  it("expires the trash after 30 days, and each other prefix after its days", () => {
    const rules = of("bucketLifecycleConfiguration:BucketLifecycleConfiguration", "BucketLifecycle")["rules"];
    expect(rules).toEqual([
      { id: "trash", status: "Enabled", filter: { prefix: "trash/" }, expiration: { days: 30 } },
      { id: "run-records", status: "Enabled", filter: { prefix: "runs/" }, expiration: { days: 30 } },
      { id: "uploads", status: "Enabled", filter: { prefix: "uploads/" }, expiration: { days: 7 } },
      { id: "batch-jobs", status: "Enabled", filter: { prefix: "batches/" }, expiration: { days: 30 } },
      { id: "response-offloads", status: "Enabled", filter: { prefix: "results/" }, expiration: { days: 1 } },
      { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
    ]);
  });
});

// trash/ and batches/ come from the store's and the batch layout's own constants; these two are written out.
describe("the expiry rules' prefixes", () => {
  const rule = (id: string) => EXPIRY_RULES.find((r) => r.id === id)!;

  it("cover the store's uploads", () => {
    expect(rule("uploads").prefix).toBe(UPLOADS_PREFIX);
  });

  it("cover the images the API moves out of large responses", async () => {
    const keys: string[] = [];
    const blobs = { put: async (key: string) => void keys.push(key), presignGet: async (key: string) => `https://s3.test/${key}` } as unknown as BlobStore;
    const response = { statusCode: 200, headers: {}, body: { outputs: [{ image: { type: "base64", value: Buffer.alloc(20_000, 0xff).toString("base64") } }] } };
    await fitResponse(response, "offload", "r1", { maxBytes: 10_000, offload: true, blobs });
    expect(keys).toHaveLength(1);
    expect(keys[0]!.startsWith(rule("response-offloads").prefix)).toBe(true);
  });
});
