/**
 * An S3 object written as a stream, in parts, across Lambda invocations: text is buffered and sent
 * as a multipart upload's part whenever a part's worth is there, so memory holds at most a part
 * and what was appended last. `suspend()` keeps the unsent rest as a small object of its own and
 * answers the state (upload id, parts' ETags) to keep with the caller's progress; `resume()` goes
 * on from it. The object's bytes are the text appended, in order, whatever the part boundaries.
 * A text that never fills a part is written with one PutObject at `complete()`.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { isNotFound } from "@cvflow/store";

/** S3's smallest part (but the last): 5 MiB. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** 8 MiB parts: 2 GB is 250 of S3's 10,000. */
export const PART_BYTES = 8 * 1024 * 1024;

export interface UploadState {
  bucket: string;
  key: string;
  content_type: string;
  /** Created with the first full part. */
  upload_id: string | null;
  parts: { PartNumber: number; ETag: string }[];
  /** Bytes appended so far: the parts' and the tail's. */
  bytes: number;
  /** Bytes not yet in a part, kept at `tailKey` by suspend(). */
  tail_bytes: number;
}

export class ResumableUpload {
  #chunks: Buffer[] = [];
  #buffered = 0;

  private constructor(
    private readonly client: S3Client,
    private readonly state: UploadState,
    /** Where suspend() keeps the bytes not yet sent (in the state's bucket). */
    private readonly tailKey: string,
    private readonly partBytes: number,
  ) {}

  static start(client: S3Client, target: { bucket: string; key: string; contentType: string }, tailKey: string, partBytes = PART_BYTES): ResumableUpload {
    const state: UploadState = { bucket: target.bucket, key: target.key, content_type: target.contentType, upload_id: null, parts: [], bytes: 0, tail_bytes: 0 };
    return new ResumableUpload(client, state, tailKey, partBytes);
  }

  static async resume(client: S3Client, state: UploadState, tailKey: string, partBytes = PART_BYTES): Promise<ResumableUpload> {
    const upload = new ResumableUpload(client, structuredClone(state), tailKey, partBytes);
    if (state.tail_bytes > 0) {
      const object = await client.send(new GetObjectCommand({ Bucket: state.bucket, Key: tailKey }));
      const tail = Buffer.from(await object.Body!.transformToByteArray());
      if (tail.length !== state.tail_bytes) throw new Error(`The upload's kept tail ${tailKey} has ${tail.length} bytes, not ${state.tail_bytes}`);
      upload.#chunks.push(tail);
      upload.#buffered = tail.length;
    }
    return upload;
  }

  get bytes(): number {
    return this.state.bytes;
  }

  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    const bytes = Buffer.from(text, "utf-8");
    this.#chunks.push(bytes);
    this.#buffered += bytes.length;
    this.state.bytes += bytes.length;
    while (this.#buffered >= this.partBytes) await this.#sendPart(this.#take(this.partBytes));
  }

  /** Keeps the unsent bytes in S3; the answer, kept by the caller, resumes the upload. */
  async suspend(): Promise<UploadState> {
    const tail = this.#take(this.#buffered);
    this.#chunks = [tail];
    this.#buffered = tail.length;
    if (tail.length > 0) await this.client.send(new PutObjectCommand({ Bucket: this.state.bucket, Key: this.tailKey, Body: tail, ContentLength: tail.length }));
    return { ...structuredClone(this.state), tail_bytes: tail.length };
  }

  /**
   * Writes the object. Safe to call again after a completion whose answer was lost (a retried
   * invocation): the upload is gone then, and the object there with the bytes expected counts as done.
   */
  async complete(): Promise<void> {
    const rest = this.#take(this.#buffered);
    if (this.state.upload_id === null) {
      await this.client.send(new PutObjectCommand({ Bucket: this.state.bucket, Key: this.state.key, Body: rest, ContentLength: rest.length, ContentType: this.state.content_type }));
    } else {
      try {
        if (rest.length > 0) await this.#sendPart(rest);
        await this.client.send(
          new CompleteMultipartUploadCommand({ Bucket: this.state.bucket, Key: this.state.key, UploadId: this.state.upload_id, MultipartUpload: { Parts: this.state.parts } }),
        );
      } catch (error) {
        if (!(await this.#written())) throw error;
      }
    }
    if (this.state.tail_bytes > 0) await this.client.send(new DeleteObjectCommand({ Bucket: this.state.bucket, Key: this.tailKey }));
  }

  /** Drops an upload that will not be completed (its parts are billed storage until then). */
  static async abort(client: S3Client, state: UploadState, tailKey: string): Promise<void> {
    if (state.upload_id !== null) {
      await client.send(new AbortMultipartUploadCommand({ Bucket: state.bucket, Key: state.key, UploadId: state.upload_id })).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
    if (state.tail_bytes > 0) await client.send(new DeleteObjectCommand({ Bucket: state.bucket, Key: tailKey }));
  }

  async #sendPart(body: Buffer): Promise<void> {
    if (this.state.upload_id === null) {
      const created = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.state.bucket, Key: this.state.key, ContentType: this.state.content_type }));
      this.state.upload_id = created.UploadId!;
    }
    const PartNumber = this.state.parts.length + 1;
    const sent = await this.client.send(
      new UploadPartCommand({ Bucket: this.state.bucket, Key: this.state.key, UploadId: this.state.upload_id, PartNumber, Body: body, ContentLength: body.length }),
    );
    this.state.parts.push({ PartNumber, ETag: sent.ETag! });
  }

  /** The first `count` buffered bytes, removed from the buffer. */
  #take(count: number): Buffer {
    const all = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#buffered);
    this.#chunks = count < all.length ? [all.subarray(count)] : [];
    this.#buffered = all.length - count;
    return all.subarray(0, count);
  }

  async #written(): Promise<boolean> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.state.bucket, Key: this.state.key }));
      return head.ContentLength === this.state.bytes;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}
