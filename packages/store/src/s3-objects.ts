/**
 * JSON documents in one bucket, with S3's conditional writes surfaced as `ConditionFailed`.
 * The stores build on this; nothing here knows what the documents mean.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from "@aws-sdk/client-s3";

/** A conditional write or delete did not happen: the object changed (`precondition`) or is gone (`missing`). */
export class ConditionFailed extends Error {
  constructor(
    readonly reason: "precondition" | "missing",
    readonly key: string,
  ) {
    super(reason === "precondition" ? `The object ${key} changed` : `The object ${key} does not exist`);
    this.name = "ConditionFailed";
  }
}

export type WriteCondition = { ifMatch: string } | { ifNoneMatch: "*" };

/** How many times a write that met S3's 409 ConditionalRequestConflict (a racing conditional write) is sent again. */
const CONFLICT_RETRIES = 3;
/** Documents read at once when listing (Finalize's reads of every results.json; docs/scaling.md prices them). */
export const READ_CONCURRENCY = 16;

export class JsonObjects {
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}

  async read<T>(key: string): Promise<{ value: T; etag: string } | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = await object.Body!.transformToString("utf-8");
      return { value: JSON.parse(text) as T, etag: object.ETag! };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** The documents under `keys` that still exist, in the order of `keys`. */
  async readAll<T>(keys: readonly string[]): Promise<T[]> {
    const found: (T | undefined)[] = new Array(keys.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let index = next++; index < keys.length; index = next++) found[index] = (await this.read<T>(keys[index]!))?.value;
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, keys.length) }, worker));
    return found.filter((value): value is T => value !== undefined);
  }

  /** Returns the new ETag. */
  async write(key: string, value: unknown, condition?: WriteCondition): Promise<string> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: JSON.stringify(value),
      ContentType: "application/json",
      ...(condition && "ifMatch" in condition ? { IfMatch: condition.ifMatch } : {}),
      ...(condition && "ifNoneMatch" in condition ? { IfNoneMatch: condition.ifNoneMatch } : {}),
    });
    const written = await this.#conditional(key, () => this.client.send(command));
    return written.ETag!;
  }

  async delete(key: string, ifMatch?: string): Promise<void> {
    await this.#conditional(key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key, ...(ifMatch === undefined ? {} : { IfMatch: ifMatch }) })));
  }

  /** Every key under `prefix`, in S3's (lexicographic) order. */
  async keys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }));
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async #conditional<T>(key: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        const conflict = isConflict(error);
        if (conflict && attempt < CONFLICT_RETRIES) continue;
        if (conflict || statusOf(error) === 412) throw new ConditionFailed("precondition", key);
        if (isNotFound(error)) throw new ConditionFailed("missing", key);
        throw error;
      }
    }
  }
}

export function statusOf(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}

/** No such object (a missing bucket is a configuration error, and is not this). */
export function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && error.name !== "NoSuchBucket" && (error.name === "NoSuchKey" || statusOf(error) === 404);
}

function isConflict(error: unknown): boolean {
  return error instanceof S3ServiceException && statusOf(error) === 409 && error.name === "ConditionalRequestConflict";
}

/** ETags compare without their quotes: S3 sends `"…"`, callers may pass either form. */
export function sameEtag(a: string, b: string): boolean {
  return a.replace(/"/g, "") === b.replace(/"/g, "");
}
