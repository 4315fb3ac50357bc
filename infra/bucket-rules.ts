/**
 * How long what the service writes stays in its bucket (S3 lifecycle rules, by key prefix), and
 * who may send presigned uploads from a browser (CORS). A plain module: infra/storage.ts applies
 * these, the tests read them. The prefixes are the ones the code writes (the tests check them
 * against packages/store, packages/batch and the API's response offloading).
 */
import { BATCHES_PREFIX } from "@cvflow/batch/layout";
import { TRASH_PREFIX, TRASH_RETENTION_DAYS } from "@cvflow/store/layout";

export interface ExpiryRule {
  /** The lifecycle rule's id. */
  id: string;
  prefix: string;
  /** Days after an object's creation when S3 deletes it. */
  days: number;
}

export const EXPIRY_RULES: readonly ExpiryRule[] = [
  // Removed workflows: restorable for TRASH_RETENTION_DAYS, as docs/api.md promises.
  { id: "trash", prefix: TRASH_PREFIX, days: TRASH_RETENTION_DAYS },
  // Run records and their events (async runs, DESIGN.md's store).
  { id: "run-records", prefix: "runs/", days: 30 },
  // Images sent with POST /uploads: run inputs, and the images of jobs submitted from a local folder.
  { id: "uploads", prefix: "uploads/", days: 7 },
  // Batch jobs: job.json, status, manifest, map results and (by default) their outputs.
  { id: "batch-jobs", prefix: BATCHES_PREFIX, days: 30 },
  // Images moved out of large responses; their presigned URLs live an hour.
  { id: "response-offloads", prefix: "results/", days: 1 },
];

/** Multipart uploads never completed (large PUTs, the map's ResultWriter) are cleaned up after this many days. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 1;

/** Browsers PUT presigned uploads (their Content-Type is signed) and GET presigned results. */
export function uploadCorsRule(origins: readonly string[]) {
  return {
    allowedMethods: ["PUT", "GET", "HEAD"],
    allowedOrigins: [...origins],
    allowedHeaders: ["content-type"],
    exposeHeaders: ["ETag"],
    maxAgeSeconds: 3600,
  };
}
