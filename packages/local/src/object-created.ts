/**
 * Object-created events of the local S3 server, as one plain shape. s3rver's notifications differ
 * from S3's: their keys are not URL-encoded (S3 encodes them, spaces as `+`), and a completed
 * multipart upload is reported as `ObjectCreated:Post` (S3: `ObjectCreated:CompleteMultipartUpload`).
 * Here the key is always the object's real key and the name is S3's.
 */
import type S3rver from "s3rver";
import type { ObjectOperation } from "./s3-request.js";

export type ObjectCreatedEventName = "ObjectCreated:Put" | "ObjectCreated:Post" | "ObjectCreated:Copy" | "ObjectCreated:CompleteMultipartUpload";

export interface ObjectCreatedEvent {
  bucket: string;
  /** The object's key as stored, not URL-encoded. */
  key: string;
  size: number;
  eventName: ObjectCreatedEventName;
}

/** The object-created records of one s3rver notification; `operation` is the request that caused it. */
export function objectCreatedEvents(notification: S3rver.Notification, operation: ObjectOperation | undefined): ObjectCreatedEvent[] {
  return notification.Records.flatMap((record) => {
    const eventName = s3EventName(record.eventName, operation);
    if (!eventName) return [];
    return [{ bucket: record.s3.bucket.name, key: record.s3.object.key, size: record.s3.object.size ?? 0, eventName }];
  });
}

function s3EventName(name: string, operation: ObjectOperation | undefined): ObjectCreatedEventName | undefined {
  switch (name) {
    case "ObjectCreated:Put":
    case "ObjectCreated:Copy":
      return name;
    case "ObjectCreated:Post":
      return operation?.kind === "complete-multipart" ? "ObjectCreated:CompleteMultipartUpload" : name;
    default:
      return undefined;
  }
}
