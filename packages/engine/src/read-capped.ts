/**
 * A body read whole, never past a byte cap: the bytes are counted as they come (a declared length
 * is a claim, not a limit) and the stream is destroyed as soon as they pass the cap. The store's
 * S3 reads and vision's image URL fetch both read inputs this way.
 */
import type { Readable } from "node:stream";

export interface CappedRead {
  maxBytes: number;
  /** The length the sender announced, when it did: over the cap, nothing is read. */
  declaredBytes?: number;
  /** The error for a body over the cap, with its declared length when that is what told. */
  tooLarge: (declaredBytes?: number) => Error;
  /** An abort destroys the stream and rejects with the signal's reason (the run's deadline or cancellation). */
  signal?: AbortSignal;
}

export async function readCapped(body: Readable, { maxBytes, declaredBytes, tooLarge, signal }: CappedRead): Promise<Buffer> {
  if (declaredBytes !== undefined && declaredBytes > maxBytes) {
    body.destroy();
    throw tooLarge(declaredBytes);
  }
  const onAbort = (): void => {
    body.destroy(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
  };
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    signal?.throwIfAborted();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        body.destroy();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  } catch (error) {
    signal?.throwIfAborted();
    throw error;
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}
